#!/usr/bin/env bash
# Schemathesis over every operation of the JSON API, against a live gunicorn on a fresh
# database holding the demo county (issue #11: no input is a 500, every answer matches the
# OpenAPI document, and every status an operation can answer is declared in it).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/xuanwen_fuzz scripts/fuzz_api.sh
#
# The database is dropped and made again (PostgreSQL: it must be a database this script may
# drop; without DATABASE_URL a temporary SQLite file). The token is the demo county admin's, so
# the writes reach the services, not only the 403 of a read-only role; reads are fuzzed too.
# Fixed seed and a bounded number of examples per operation, so a run is repeatable and takes a
# few minutes on two cores. Exit status: schemathesis's (non-zero on any failure). The server's
# log, with the traceback of any 500, is left in $FUZZ_DIR/server.log.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
# The checkout this script is in, ahead of the installed one (a second worktree runs its own code).
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
SEED="${FUZZ_SEED:-20261207}"
EXAMPLES="${FUZZ_EXAMPLES:-25}"
FUZZ_DIR="${FUZZ_DIR:-$(mktemp -d -t xuanwen-fuzz.XXXXXX)}"
mkdir -p "$FUZZ_DIR"

# A production-like server (DEBUG off, so a 500 is the bare page a client would get), over
# plain HTTP on the loopback.
export DEBUG=0 SECRET_KEY="fuzz-$RANDOM-$RANDOM-$RANDOM-$RANDOM" ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export MEDIA_ROOT="$FUZZ_DIR/media" STATIC_ROOT="$FUZZ_DIR/static" LOG_LEVEL=ERROR

if [[ -n "${DATABASE_URL:-}" ]]; then
    name="${DATABASE_URL##*/}"
    server="${DATABASE_URL%/*}"
    psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
    psql -q "$server/postgres" -c "CREATE DATABASE \"$name\"" >/dev/null
else
    export SQLITE_PATH="$FUZZ_DIR/db.sqlite3"
fi

$BIN/xuanwen migrate --no-input -v0
# As in production: a page (a 404 for a path no route matches, say) names its static files
# through the manifest that collectstatic writes.
$BIN/xuanwen collectstatic --no-input -v0
$BIN/xuanwen demo >/dev/null
TOKEN="$($BIN/xuanwen token create admin --name 接口模糊测试 --days 1 | tail -1)"

# A free port: the kernel picks one, we release it and gunicorn takes it.
PORT="$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
$BIN/gunicorn xuanwen.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
    --error-logfile "$FUZZ_DIR/server.log" --capture-output >/dev/null 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT

BASE="http://127.0.0.1:$PORT/api/v1"
for _ in $(seq 50); do
    curl -fs -o /dev/null "$BASE/openapi.json" && break
    sleep 0.2
done

# not_a_server_error: no 5xx; response_schema_conformance: every body matches its schema;
# status_code_conformance: every status answered is declared for its operation.
$BIN/schemathesis run "$BASE/openapi.json" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance \
    --header "Authorization: Bearer $TOKEN" \
    --seed "$SEED" --max-examples "$EXAMPLES" --workers "${FUZZ_WORKERS:-1}" \
    --suppress-health-check all --request-timeout 30 \
    --report junit --report-dir "$FUZZ_DIR" \
    "$@"
