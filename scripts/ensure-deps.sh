#!/usr/bin/env bash
# Installs what a fresh clone lacks before `npm start` / `npm test`: npm packages (when the lock file
# is newer than the last install) and the Temporal CLI binary. Does nothing when both are current.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "[setup] installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/ensure-temporal.sh >/dev/null
