#!/usr/bin/env bash
# `npm test`'s checks before Jest: ESLint, the Prettier check and the type-check side by side (each
# is mostly one core; one after another they took 83 s of a CI run here), then the build. Each
# check's output is printed once it ends; any failure fails the whole.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
checks=(lint format:check typecheck)
pids=()
for check in "${checks[@]}"; do
  npm run -s "$check" >"$logs/$check" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!checks[@]}"; do
  if ! wait "${pids[$i]}"; then
    failed=1
    echo "[static] npm run ${checks[$i]} failed:" >&2
  fi
  cat "$logs/${checks[$i]}"
done
[ "$failed" = 0 ] || exit 1
npm run -s build
