# Sourced by the ensure-temporal*.sh scripts: sets go_bin to the Go toolchain (PATH, else the
# official tarball's /usr/local/go), or exits naming what is missing ($1).
go_bin=$(command -v go || true)
[ -n "$go_bin" ] || go_bin=/usr/local/go/bin/go
if [ ! -x "$go_bin" ]; then
  echo "$1 and no Go toolchain: install Go" >&2
  exit 1
fi
