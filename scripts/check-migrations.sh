#!/usr/bin/env bash
# check-migrations.sh fails when two migration files share a number or a file is misnamed.
set -euo pipefail
cd "$(dirname "$0")/../migrations"
bad=$(ls *.sql | grep -vE '^[0-9]{5}_[a-z0-9_]+\.sql$' || true)
[ -z "$bad" ] || { echo "check-migrations: misnamed: $bad" >&2; exit 1; }
dups=$(ls *.sql | cut -c1-5 | sort | uniq -d)
[ -z "$dups" ] || { echo "check-migrations: repeated numbers: $dups" >&2; exit 1; }
