#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL (127.0.0.1:5432) on 127.0.0.1:5433, for the
# read-replica tests (issue 24). Idempotent: does nothing when the replica already answers.
# Needs root or the postgres account (Debian/Ubuntu's PostgreSQL packages).
#
# The primary needs wal_level=replica (PostgreSQL's default) and a pg_hba entry for local
# replication; the entry is added and the configuration reloaded (no restart). Only if the
# primary's wal_level were "minimal" is it restarted, once, to change it.
set -euo pipefail
PRIMARY_PORT="${LINLI_PRIMARY_PORT:-5432}"
PORT="${LINLI_REPLICA_PORT:-5433}"
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
BIN="/usr/lib/postgresql/$VERSION/bin"
DIR="${LINLI_REPLICA_DIR:-/var/lib/postgresql/$VERSION/linli-replica}"
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
psql_primary() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atqc "$1"; }

if pg_isready -h 127.0.0.1 -p "$PORT" -q 2>/dev/null; then
  echo "replica already running on 127.0.0.1:$PORT"
  exit 0
fi

hba="$(psql_primary 'SHOW hba_file')"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
  echo "host replication all 127.0.0.1/32 trust" >>"$hba"
  psql_primary 'SELECT pg_reload_conf()' >/dev/null
  echo "added local replication to $hba (reloaded)"
fi
if [ "$(psql_primary 'SHOW wal_level')" = minimal ]; then
  psql_primary "ALTER SYSTEM SET wal_level = 'replica'"
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" main restart
  echo "primary restarted once for wal_level=replica"
fi

if [ ! -f "$DIR/standby.signal" ]; then
  rm -rf "$DIR"
  install -d -o postgres -g postgres -m 700 "$DIR"
  as_postgres "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR" -R -X stream
  # Debian keeps the configuration outside the data directory: give the replica its own.
  as_postgres sh -c "cat >'$DIR/postgresql.conf'" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
max_connections = 100
shared_buffers = 64MB
CONF
  as_postgres sh -c "printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >'$DIR/pg_hba.conf'"
  as_postgres touch "$DIR/pg_ident.conf"
fi
as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/replica.log" -w start >/dev/null
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$PORT" -q && break; sleep 1; done
echo "replica streaming from 127.0.0.1:$PRIMARY_PORT on 127.0.0.1:$PORT"
