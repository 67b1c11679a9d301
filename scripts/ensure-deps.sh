#!/usr/bin/env bash
# Installs what a fresh clone lacks before `npm start` / `npm test`: npm packages (when the lock file
# is newer than the last install), the Temporal CLI binary and Chromium. Does nothing when all are present.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "[setup] installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/ensure-temporal.sh >/dev/null
# The UI tests drive Debian's Chromium through playwright-core (never a downloaded browser).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "[setup] installing Debian's chromium for the UI tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "[setup] chromium could not be installed: the web UI test will fail" >&2
fi
