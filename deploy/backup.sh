#!/usr/bin/env bash
# Nightly backup of the Linli database (cron: 30 2 * * * /opt/linli/deploy/backup.sh).
# Usage: backup.sh [DIR] [DAYS_TO_KEEP]. Settings come from the environment or from
# /etc/linli/linli.env. Writes DIR/linli-YYYYmmdd-HHMMSS.backup and its .manifest.json
# (`linli backup`: pg_dump custom format on PostgreSQL, a consistent copy on SQLite).
set -euo pipefail
DIR="${1:-/var/backups/linli}"
KEEP="${2:-14}"
LINLI="$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/linli"
if [ -z "${DATABASE_URL:-}" ] && [ -r /etc/linli/linli.env ]; then
  set -a; . /etc/linli/linli.env; set +a
fi
OUT="$DIR/linli-$(date +%Y%m%d-%H%M%S).backup"
"$LINLI" backup "$OUT" >&2
find "$DIR" -name 'linli-*.backup*' -mtime +"$KEEP" -delete
echo "$OUT"
