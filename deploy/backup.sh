#!/usr/bin/env bash
# Nightly backup of the Linli database (cron: 30 2 * * * /opt/linli/deploy/backup.sh).
# Usage: backup.sh [DIR] [DAYS_TO_KEEP]; reads DATABASE_URL from the environment or
# /etc/linli/linli.env. Writes DIR/linli-YYYYmmdd-HHMMSS.dump (pg_dump custom format).
set -euo pipefail
DIR="${1:-/var/backups/linli}"
KEEP="${2:-14}"
if [ -z "${DATABASE_URL:-}" ] && [ -r /etc/linli/linli.env ]; then
  DATABASE_URL="$(grep -E '^DATABASE_URL=' /etc/linli/linli.env | cut -d= -f2-)"
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
mkdir -p "$DIR"
umask 077   # the dump holds personal data
OUT="$DIR/linli-$(date +%Y%m%d-%H%M%S).dump"
pg_dump --format=custom --no-owner --file="$OUT.partial" "$DATABASE_URL"
mv "$OUT.partial" "$OUT"
find "$DIR" -name 'linli-*.dump' -mtime +"$KEEP" -delete
echo "$OUT"
