#!/usr/bin/env bash
# Installs xmllint (Debian's libxml2-utils) when it is missing: the sitemap test of package http
# validates Hark's sitemaps against the schema in http/testdata/sitemap.xsd with it.
set -euo pipefail
command -v xmllint >/dev/null && exit 0
echo "xmllint: installing libxml2-utils from Debian" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq libxml2-utils >/dev/null
