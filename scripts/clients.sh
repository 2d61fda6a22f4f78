#!/usr/bin/env bash
# Installs the official Listen API clients that TestOfficialClients (package http) runs against
# Hark: PyPI podcast-api in a virtualenv and npm podcast-api, both in .data/clients, and PyPI
# schemathesis in a virtualenv of its own, which TestSchemathesis runs. Prints the folder, for
# HARK_CLIENTS_DIR. Reuses what is installed already.
#
# The official Go client (github.com/ListenNotes/podcast-api-go) is not served by the Go module
# proxy, so it cannot be installed here.
set -euo pipefail

PY_CLIENT_VERSION=3.1.1
JS_CLIENT_VERSION=2.0.4
SCHEMATHESIS_VERSION=4.32.5

cd "$(dirname "$0")/.."
dir="$PWD/.data/clients"
mkdir -p "$dir"

log() { echo "clients: $*" >&2; }

install_python() {
	if ! command -v python3 >/dev/null; then
		log "installing python3 from Debian"
		apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
	fi
	if [ "$("$dir/py/bin/python" -c 'import importlib.metadata as m; print(m.version("podcast-api"))' 2>/dev/null)" = "$PY_CLIENT_VERSION" ]; then
		return
	fi
	log "installing PyPI podcast-api $PY_CLIENT_VERSION"
	python3 -m venv "$dir/py" || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$dir/py"; }
	"$dir/py/bin/pip" install -q --disable-pip-version-check "podcast-api==$PY_CLIENT_VERSION"
}

install_js() {
	if ! command -v npm >/dev/null; then
		log "installing nodejs and npm from Debian"
		apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
	fi
	if [ -f "$dir/js/node_modules/podcast-api/package.json" ] &&
		grep -q "\"version\": \"$JS_CLIENT_VERSION\"" "$dir/js/node_modules/podcast-api/package.json"; then
		return
	fi
	log "installing npm podcast-api $JS_CLIENT_VERSION"
	mkdir -p "$dir/js"
	npm install --silent --no-audit --no-fund --prefix "$dir/js" "podcast-api@$JS_CLIENT_VERSION" >/dev/null
}

install_schemathesis() {
	if [ "$("$dir/st/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" = "$SCHEMATHESIS_VERSION" ]; then
		return
	fi
	log "installing PyPI schemathesis $SCHEMATHESIS_VERSION"
	python3 -m venv "$dir/st"
	"$dir/st/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}

install_python
install_js
install_schemathesis
echo "$dir"
