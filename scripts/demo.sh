#!/usr/bin/env bash
# `npm run demo`: build, start the control plane on http://127.0.0.1:3000 against the
# `bridgefleet` database, with a persistent demo admin key, plus a simulated fleet of
# Macs once that app exists. Safe to run again; Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PORT="${PORT:-3000}"
export HOST="${HOST:-127.0.0.1}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bridgefleet}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DEMO_NODES="${DEMO_NODES:-8}"
export LOG_LEVEL="${LOG_LEVEL:-info}"

DEMO_DIR=.demo
KEY_FILE="$DEMO_DIR/admin-key"
SIM_FLEET=dist/apps/node-agent/src/sim-fleet.main.js
BASE_URL="http://${HOST}:${PORT}"
pids=()

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping (pids ${pids[*]})"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -d node_modules ]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

say "checking PostgreSQL, Redis and port ${PORT}"
if ! node scripts/check-services.mjs; then
  echo
  echo "Start what is missing (commands above), then run 'npm run demo' again." >&2
  exit 1
fi

say "building"
npm run -s build

mkdir -p "$DEMO_DIR"
if [ ! -s "$KEY_FILE" ]; then
  say "creating the demo admin key in $KEY_FILE"
  (
    umask 077
    node --input-type=module -e \
      "import { generateApiKey } from './dist/libs/contracts/src/api-key-format.js'; process.stdout.write(generateApiKey().key + '\n');" \
      >"$KEY_FILE"
  )
fi
ADMIN_KEY="$(cat "$KEY_FILE")"
export BRIDGEFLEET_ADMIN_KEY="$ADMIN_KEY"

say "starting the control plane (log: $DEMO_DIR/control-plane.log)"
node dist/apps/control-plane/src/main.js >"$DEMO_DIR/control-plane.log" 2>&1 &
cp_pid=$!
pids+=("$cp_pid")

ready() { node -e "fetch('${BASE_URL}/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; }
for _ in $(seq 1 120); do
  if ready; then break; fi
  if ! kill -0 "$cp_pid" 2>/dev/null; then
    echo "the control plane exited; its log:" >&2
    tail -n 30 "$DEMO_DIR/control-plane.log" >&2
    exit 1
  fi
  sleep 0.5
done
ready || {
  echo "the control plane did not become ready within 60 s; see $DEMO_DIR/control-plane.log" >&2
  exit 1
}

# The simulated fleet joins automatically once its app is built.
if [ -f "$SIM_FLEET" ]; then
  say "starting ${DEMO_NODES} simulated Macs (log: $DEMO_DIR/sim-fleet.log)"
  # Registers each Mac (node + line) with the admin key; re-runs find them registered.
  CONTROL_PLANE_URL="$BASE_URL" SIM_FLEET_SIZE="${SIM_FLEET_SIZE:-$DEMO_NODES}" \
    node "$SIM_FLEET" >"$DEMO_DIR/sim-fleet.log" 2>&1 &
  pids+=("$!")
fi

cat <<MSG

  bridgefleet control plane: ${BASE_URL}
  API reference (OpenAPI UI): ${BASE_URL}/docs
  admin key (also in ${KEY_FILE}): ${ADMIN_KEY}

  Try (more in README.md, "API overview"):
    curl -s -H "Authorization: Bearer \$(cat ${KEY_FILE})" ${BASE_URL}/v1/lines
    curl -s -H "Authorization: Bearer \$(cat ${KEY_FILE})" -H 'Content-Type: application/json' \\
      -H 'Idempotency-Key: demo-1' -d '{"to":"+14155550199","body":"hello"}' ${BASE_URL}/v1/messages
    curl -s -H "Authorization: Bearer \$(cat ${KEY_FILE})" ${BASE_URL}/v1/audit

  Logs are in ${DEMO_DIR}/. Ctrl-C stops everything.

MSG

# Stop everything as soon as any process we started ends.
wait -n "${pids[@]}" || true
echo "a demo process exited; see the logs in $DEMO_DIR/" >&2
exit 1
