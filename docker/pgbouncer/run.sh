#!/bin/sh
# PgBouncer in transaction mode in front of PostgreSQL: writes its configuration from the
# environment, then runs it (in the foreground, or as a daemon with PGBOUNCER_DAEMON=1).
# The compose stack's `pgbouncer` service runs it (docker/pgbouncer/Dockerfile), and so does CI
# (.ci/pgbouncer), so the suite goes through the pooler production uses, set the same way.
#
#   PGBOUNCER_USERS          "name:password name:password" (the roles that connect through it)
#   PGBOUNCER_UPSTREAM       PostgreSQL's "host port"                    (default "db 5432")
#   PGBOUNCER_LISTEN         "address port"                              (default "0.0.0.0 6432")
#   PGBOUNCER_AUTH_TYPE      scram-sha-256, or trust on a test machine   (default scram-sha-256)
#   PGBOUNCER_POOL_SIZE      server connections per database and role    (default 20)
#   PGBOUNCER_ADMIN_USERS    roles allowed on its admin console          (default none)
#   PGBOUNCER_DIR            where the configuration goes                (default /etc/pgbouncer)
#
# Transaction mode is what the application is built for: the tenant scope is set inside each
# transaction (prm/tenancy/dbscope.py), so a server connection lent to another client after a
# transaction carries nothing over. No server_reset_query: transaction mode never runs one.
set -eu

DIR="${PGBOUNCER_DIR:-/etc/pgbouncer}"
set -- ${PGBOUNCER_UPSTREAM:-db 5432}
UPSTREAM_HOST=$1 UPSTREAM_PORT=$2
set -- ${PGBOUNCER_LISTEN:-0.0.0.0 6432}
LISTEN_ADDR=$1 LISTEN_PORT=$2

mkdir -p "$DIR"
umask 077
: > "$DIR/userlist.txt"
for entry in ${PGBOUNCER_USERS:?PGBOUNCER_USERS is not set: \"name:password ...\"}; do
  printf '"%s" "%s"\n' "${entry%%:*}" "${entry#*:}" >> "$DIR/userlist.txt"
done
cat > "$DIR/pgbouncer.ini" <<INI
[databases]
* = host=$UPSTREAM_HOST port=$UPSTREAM_PORT

[pgbouncer]
listen_addr = $LISTEN_ADDR
listen_port = $LISTEN_PORT
unix_socket_dir =
pool_mode = transaction
auth_type = ${PGBOUNCER_AUTH_TYPE:-scram-sha-256}
auth_file = $DIR/userlist.txt
admin_users = ${PGBOUNCER_ADMIN_USERS:-}
max_client_conn = 1000
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
server_reset_query =
; psycopg2 sends no startup options it would refuse; drivers that do (JDBC) are named here
ignore_startup_parameters = extra_float_digits
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$DIR"
  set -- -u postgres
else
  set --
fi
if [ "${PGBOUNCER_DAEMON:-0}" = 1 ]; then
  exec pgbouncer -d "$@" "$DIR/pgbouncer.ini"
fi
exec pgbouncer "$@" "$DIR/pgbouncer.ini"
