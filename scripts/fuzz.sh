#!/usr/bin/env bash
# API fuzzing with Schemathesis against /api/openapi.json of a freshly started stack.
#
#   npm run test:fuzz                 # full run (100 examples per operation)
#   npm run test:fuzz -- --quick      # bounded CI-sized run (fixed seed, 8 examples per operation)
#   npm run test:fuzz -- [--quick] [extra `st run` options…]
#
# Starts `infra/start.ts` (embedded dev server + PGlite) on free loopback ports with a temporary
# DATA_DIR; `scripts/fuzz-seed.ts` then sets it up through the API as staff would (one account per
# SOP role, blank stock, five cases in different states) and writes the tokens and dictionaries of
# existing resources that `scripts/schemathesis.toml` uses (a token per role per operation;
# registration numbers, attachment ids, NIKs). Runs Schemathesis (checks: no server errors, status
# code / content type / response schema conformance), stops the stack and exits non-zero when
# Schemathesis found failures. Schemathesis is installed from PyPI, pinned, into the git-ignored
# .tools/py virtualenv.
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

# Staff accounts, blank stock, seeded cases; tokens and dictionaries into $FUZZ_DIR (never printed).
FUZZ_DIR="$DATA_DIR/fuzz"
mkdir -p "$FUZZ_DIR"
cp "$ROOT/scripts/schemathesis.toml" "$FUZZ_DIR/schemathesis.toml"
FUZZ_BASE_URL="$BASE" FUZZ_ADMIN_USERNAME=admin FUZZ_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  node --import tsx scripts/fuzz-seed.ts "$FUZZ_DIR" || { log "seeding failed; the stack's log: test-results/fuzz/stack.log"; exit 1; }
while IFS='=' read -r name value; do
  case "$name" in FUZZ_[A-Z_]*) export "$name=$value" ;; esac
done <"$FUZZ_DIR/fuzz.env"
for name in FUZZ_ADMIN_TOKEN FUZZ_OPERATOR_TOKEN FUZZ_SUPERVISOR_TOKEN FUZZ_SELF_TOKEN FUZZ_ACTION_REGNO; do
  [ -n "${!name:-}" ] || { log "seeding did not provide $name"; exit 1; }
done

if $quick; then
  limits=(--max-examples 8 --seed 20261123 --phases examples,coverage,fuzzing --max-failures 20)
else
  limits=(--max-examples 100 --phases examples,coverage,fuzzing,stateful)
fi

log "schemathesis $ST_VERSION ($($quick && echo quick || echo full))"
start=$(date +%s)
set +e
# One worker: the seeded cases change state as operations run (a staff action, a cancellation, a
# resubmission), so a fixed order keeps runs alike; and two workers hit a CPython 3.11 thread-safety
# bug in `ast` inside Hypothesis ("AST constructor recursion depth mismatch").
"$VENV/bin/st" --config-file "$FUZZ_DIR/schemathesis.toml" run "$BASE/api/openapi.json" \
  --url "$BASE" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --workers 1 \
  --request-timeout 30 \
  --suppress-health-check too_slow,filter_too_much \
  --report junit --report-junit-path "$REPORT_DIR/junit.xml" \
  "${limits[@]}" ${extra[@]+"${extra[@]}"}
status=$?
set -e
log "schemathesis exited $status after $(( $(date +%s) - start )) s; JUnit report: test-results/fuzz/junit.xml"
exit $status
