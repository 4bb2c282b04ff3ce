#!/usr/bin/env bash
# API fuzzing with Schemathesis against /api/openapi.json of a freshly started stack.
#
#   npm run test:fuzz                 # full run (100 examples per operation)
#   npm run test:fuzz -- --quick      # bounded CI-sized run (fixed seed, 8 examples per operation)
#   npm run test:fuzz -- [--quick] [extra `st run` options…]
#
# Starts `infra/start.ts` (embedded dev server + PGlite) on free loopback ports with a temporary
# DATA_DIR, logs in as the admin, runs Schemathesis with the admin token on every request
# (checks: no server errors, status code / content type / response schema conformance), stops the
# stack and exits non-zero when Schemathesis found failures. Schemathesis is installed from PyPI,
# pinned, into the git-ignored .tools/py virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

ST_VERSION=4.32.5
VENV="$ROOT/.tools/py"
quick=false
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    *) extra+=("$arg") ;;
  esac
done
log() { printf '[fuzz] %s\n' "$*" >&2; }

if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$ST_VERSION"; then
  log "installing schemathesis==$ST_VERSION into .tools/py"
  python3 -m venv "$VENV"
  PIP_ROOT_USER_ACTION=ignore "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT=$(free_port)
DEV_PORT=$(free_port)
UI_PORT=$(free_port)
DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/becak-fuzz.XXXXXX")
BASE="http://127.0.0.1:$PORT"
ADMIN_PASSWORD="fuzz-admin-$(node -e "console.log(require('crypto').randomBytes(6).toString('hex'))")"
REPORT_DIR="$ROOT/test-results/fuzz"
mkdir -p "$REPORT_DIR"

stack_pid=""
cleanup() {
  if [ -n "$stack_pid" ] && kill -0 "$stack_pid" 2>/dev/null; then
    kill -TERM "$stack_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$stack_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$stack_pid" 2>/dev/null || true # leftovers of the process group (dev server)
  fi
  cp "$DATA_DIR/stack.log" "$REPORT_DIR/stack.log" 2>/dev/null || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

log "starting the stack on $BASE (DATA_DIR $DATA_DIR)"
# setsid: own process group, so the dev server started by the stack is stopped with it.
env -u DATABASE_URL -u TEMPORAL_ADDRESS \
  DATA_DIR="$DATA_DIR" PORT="$PORT" HOST=127.0.0.1 TEMPORAL_DEV_PORT="$DEV_PORT" TEMPORAL_UI_PORT="$UI_PORT" \
  ADMIN_USERNAME=admin ADMIN_PASSWORD="$ADMIN_PASSWORD" RATE_LIMIT_PER_MINUTE=1000000 LOG_LEVEL=warn \
  setsid node --import tsx infra/start.ts >"$DATA_DIR/stack.log" 2>&1 &
stack_pid=$!

ready=false
for _ in $(seq 1 360); do
  if curl -fsS -o /dev/null "$BASE/readyz" 2>/dev/null; then ready=true; break; fi
  kill -0 "$stack_pid" 2>/dev/null || break
  sleep 0.5
done
if [ "$ready" != true ]; then
  log "stack did not become ready; its log:"
  tail -n 50 "$DATA_DIR/stack.log" >&2 || true
  exit 1
fi

TOKEN=$(curl -fsS -X POST -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/auth/login" |
  node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).token))")
[ -n "$TOKEN" ] && [ "$TOKEN" != undefined ] || { log "admin login failed"; exit 1; }

if $quick; then
  limits=(--max-examples 8 --seed 20261123 --phases examples,coverage,fuzzing --max-failures 20)
else
  limits=(--max-examples 100 --phases examples,coverage,fuzzing,stateful)
fi

log "schemathesis $ST_VERSION ($($quick && echo quick || echo full))"
start=$(date +%s)
set +e
"$VENV/bin/st" run "$BASE/api/openapi.json" \
  --url "$BASE" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --workers 2 \
  --request-timeout 30 \
  --suppress-health-check too_slow,filter_too_much \
  --report junit --report-junit-path "$REPORT_DIR/junit.xml" \
  "${limits[@]}" ${extra[@]+"${extra[@]}"}
status=$?
set -e
log "schemathesis exited $status after $(( $(date +%s) - start )) s; JUnit report: test-results/fuzz/junit.xml"
exit $status
