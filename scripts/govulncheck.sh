#!/usr/bin/env bash
# govulncheck.sh runs govulncheck (pinned) on the module and fails on any vulnerability that
# Hark's code can reach. It reads the live Go vulnerability database (vuln.go.dev); where that
# host cannot be reached it builds the database from a pinned snapshot of golang.org/x/vulndb,
# fetched from the Go module proxy, once into .data/, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
VULN_VERSION=v1.9.0
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
db=()
if ! curl -sf --max-time 10 -o /dev/null https://vuln.go.dev/index/db.json.gz; then
	dir=".data/vulndb-$VULNDB_VERSION"
	if [ ! -f "$dir/index/db.json" ]; then
		src=$($GO mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
		mkdir -p .data && rm -rf "$dir.tmp"
		$GO run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$src/data/osv" -out "$dir.tmp"
		mv "$dir.tmp" "$dir"
	fi
	echo "govulncheck: vuln.go.dev unreachable; checking against the golang.org/x/vulndb snapshot $VULNDB_VERSION"
	db=(-db "file://$PWD/$dir")
fi
$GO run "golang.org/x/vuln/cmd/govulncheck@$VULN_VERSION" "${db[@]}" ./...
