#!/usr/bin/env bash
# Prints the path of a `temporal` CLI binary, providing one if needed:
#   1. TEMPORAL_CLI if set, 2. `temporal` on PATH, 3. the per-user cache,
#   4. else build v1.5.1 with Go into the cache (later tags carry a go.mod `replace` that
#      `go install` refuses). A cached binary is never rebuilt.
set -euo pipefail
version=v1.5.1
cache_dir="${EXPORTS_DESK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exports-desk}/temporal-$version"
if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [ -x "$cache_dir/temporal" ]; then echo "$cache_dir/temporal"; exit 0; fi
# shellcheck source=scripts/lib/go.sh
. "$(dirname "$0")/lib/go.sh" "No temporal binary (put temporal on PATH)"
mkdir -p "$cache_dir"
echo "[setup] building temporal CLI $version with Go (first run only; a few minutes)" >&2
start=$(date +%s)
GOBIN="$cache_dir" "$go_bin" install "github.com/temporalio/cli/cmd/temporal@$version" >&2
echo "[setup] temporal built in $(( $(date +%s) - start ))s: $cache_dir/temporal" >&2
echo "$cache_dir/temporal"
