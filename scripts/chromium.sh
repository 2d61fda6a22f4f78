#!/usr/bin/env bash
# Installs what the browser tests (internal/browsertest) need: Debian's chromium when no chromium
# is on PATH, and npm axe-core in .data/axe, whose axe.min.js the tests inject into pages. Prints
# the path of axe.min.js, for HARK_AXE_JS. Reuses what is installed already.
set -euo pipefail

AXE_VERSION=4.10.3

cd "$(dirname "$0")/.."
dir="$PWD/.data/axe"

log() { echo "chromium: $*" >&2; }

if ! command -v chromium >/dev/null; then
	log "installing chromium from Debian"
	apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if ! command -v npm >/dev/null; then
	log "installing nodejs and npm from Debian"
	apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then
	log "installing npm axe-core $AXE_VERSION"
	mkdir -p "$dir"
	npm install --silent --no-audit --no-fund --prefix "$dir" "axe-core@$AXE_VERSION" >/dev/null
fi
echo "$dir/node_modules/axe-core/axe.min.js"
