#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL if one is reachable.
# CI sets LINLI_REQUIRE_POSTGRES=1 and LINLI_REQUIRE_BROWSER=1 so nothing is skipped there.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export LINLI_DATA_DIR="${LINLI_DATA_DIR:-$PWD/var/test}"

scripts/ensure-chromium.sh || true

echo "== tests on SQLite"
env -u DATABASE_URL -u DATABASE_REPLICA_URL "$BIN/python" -m pytest "$@"

PG_URL="${LINLI_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as error:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {error}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL ($PG_URL)"
  # The replica tests run against a streaming replica (scripts/replica.sh) when one answers
  # at LINLI_TEST_REPLICA_URL; they are skipped otherwise, unless LINLI_REQUIRE_REPLICA=1.
  REPLICA_URL="${LINLI_TEST_REPLICA_URL:-postgres://postgres@127.0.0.1:5433/postgres}"
  if pg_isready -d "$REPLICA_URL" -q 2>/dev/null; then
    export DATABASE_REPLICA_URL="$REPLICA_URL"
  fi
  # Two workers (pytest-xdist): each gets its own test database.
  DATABASE_URL="$PG_URL" "$BIN/python" -m pytest -m "not browser" -n 2 "$@"
elif [ "${LINLI_REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required here (LINLI_REQUIRE_POSTGRES=1) but not reachable" >&2
  exit 1
else
  echo "== PostgreSQL not reachable: the PostgreSQL run was skipped (set LINLI_TEST_POSTGRES_URL)"
fi
