#!/usr/bin/env bash
# Prints the directory holding `temporal-server` and `temporal-sql-tool` (the real multi-service
# Temporal server and its schema tool, v1.29.1 like the CLI's dev server) and `schema/` (the
# server's PostgreSQL schemas), building them with Go into the per-user cache on first use. A cached
# build is never rebuilt.
set -euo pipefail
version=v1.29.1
cache_dir="${EXPORTS_DESK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exports-desk}/temporal-server-$version"
# temporal-server is moved in last: its presence means the rest is there too.
if [ -x "$cache_dir/temporal-server" ]; then
  echo "$cache_dir"
  exit 0
fi
# shellcheck source=scripts/lib/go.sh
. "$(dirname "$0")/lib/go.sh" "No temporal-server build"
mkdir -p "$cache_dir"
echo "[setup] building temporal-server and temporal-sql-tool $version with Go (first run only; a few minutes)" >&2
start=$(date +%s)
# Built into a scratch GOBIN (go install names them `server` and `sql`) and moved into place, so an
# interrupted build never leaves a half binary that counts as cached.
scratch=$(mktemp -d "$cache_dir/.build.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
GOBIN="$scratch" "$go_bin" install "go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version" >&2
# The schemas ship in the server's module; copied so the cache does not depend on the module cache.
rm -rf "$cache_dir/schema"
cp -r "$("$go_bin" env GOMODCACHE)/go.temporal.io/server@$version/schema/postgresql/v12" "$cache_dir/schema"
chmod -R u+w "$cache_dir/schema"
mv "$scratch/sql" "$cache_dir/temporal-sql-tool"
mv "$scratch/server" "$cache_dir/temporal-server"
echo "[setup] temporal-server built in $(( $(date +%s) - start ))s: $cache_dir" >&2
echo "$cache_dir"
