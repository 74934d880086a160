#!/usr/bin/env bash
# Restore PRM from docker/backup.sh's DIR into an EMPTY database, as the owner role, then let
# `manage.py migrate` make the row-level security key, function, policies and grants again.
#
#   DATABASE_OWNER_URL=postgres://prm_owner:…@db:5432/prm MEDIA_ROOT=/app/media docker/restore.sh DIR
#   python manage.py migrate --noinput      # with DATABASE_URL, DATABASE_OWNER_URL, DATABASE_OPERATIONS_URL
#
# The tables are made owned by the owner role; the web and operations roles get their rights back from
# migrate. Files go back into MEDIA_ROOT (with S3_BUCKET: mirror the bucket back, docs/operations.md).
# PG_BIN: the folder of a pg_restore at least as new as the dump's pg_dump (default: the one on PATH).
set -euo pipefail
in=${1:?usage: docker/restore.sh DIR}
url=${DATABASE_OWNER_URL:?set DATABASE_OWNER_URL (the owner role) of an empty database}
bin=${PG_BIN:+$PG_BIN/}
(cd "$in" && sha256sum --check --quiet SHA256SUMS)
"${bin}pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname "$url" "$in/prm.dump"
if [ -f "$in/files.tar.gz" ]; then
  : "${MEDIA_ROOT:?set MEDIA_ROOT to restore the stored files}"
  mkdir -p "$MEDIA_ROOT"
  tar -C "$MEDIA_ROOT" -xzf "$in/files.tar.gz"
fi
echo "restored from $in; now run: python manage.py migrate --noinput"
