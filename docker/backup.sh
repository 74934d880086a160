#!/usr/bin/env bash
# Back up PRM: the database (pg_dump as the operations role) and the stored files.
#
#   DATABASE_OPERATIONS_URL=postgres://prm_ops:…@db:5432/prm MEDIA_ROOT=/app/media docker/backup.sh DIR
#
# Writes DIR/prm.dump (pg_dump's custom format) and DIR/files.tar.gz (MEDIA_ROOT; with S3_BUCKET the
# files are in the bucket: mirror it with your store's tools, docs/operations.md), and DIR/SHA256SUMS.
# The operations role reads every tenant's rows (BYPASSRLS) and owns nothing; the schema prm_private
# (the row-level security key) is left out: `manage.py migrate` makes it again from SECRET_KEY.
# PG_BIN: the folder of a pg_dump at least as new as the server (default: the one on PATH).
set -euo pipefail
out=${1:?usage: docker/backup.sh DIR}
url=${DATABASE_OPERATIONS_URL:?set DATABASE_OPERATIONS_URL (the operations role)}
bin=${PG_BIN:+$PG_BIN/}
mkdir -p "$out"
"${bin}pg_dump" --format=custom --no-owner --no-privileges --exclude-schema=prm_private \
  --file "$out/prm.dump" "$url"
if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$out/files.tar.gz" .
fi
(cd "$out" && sha256sum prm.dump $( [ -f files.tar.gz ] && echo files.tar.gz ) > SHA256SUMS)
echo "backed up to $out: $(cd "$out" && ls | tr '\n' ' ')"
