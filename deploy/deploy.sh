#!/usr/bin/env bash
# deploy.sh ENV REVISION ROLE: deploys one revision of Hark to the hosts of one role.
#
#   deploy/deploy.sh production HEAD web
#   deploy/deploy.sh staging v1.4.2 worker
#
# ENV is an inventory of deploy/ansible/inventories (production, staging, local), REVISION any
# git revision, ROLE web or worker. It
#   1. builds that revision once: `git archive` into a temporary directory and `go build` with
#      the revision stamped (`hark version` prints it), cached under .data/deploy/builds/;
#   2. runs `hark migrate` once, on the role's first host, with that host's configuration;
#   3. rolls the binary to the role's hosts one at a time: copy, swap the current symlink,
#      restart the unit (SIGTERM drains the old process), wait for /readyz; a host that does not
#      become ready is rolled back to its previous release and the deploy stops, failing.
# Extra arguments after ROLE go to ansible-playbook (--ask-vault-pass, --limit, -v).
set -euo pipefail

usage() { echo "usage: deploy/deploy.sh ENV REVISION ROLE [ansible-playbook args]  (ROLE: web or worker)" >&2; exit 2; }
log() { printf 'deploy: %s\n' "$*" >&2; }

[ $# -ge 3 ] || usage
env_name=$1 revision=$2 role=$3
shift 3
case "$role" in web | worker) ;; *) usage ;; esac

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
inventory="$repo/deploy/ansible/inventories/$env_name"
[ -d "$inventory" ] || { log "no inventory deploy/ansible/inventories/$env_name"; exit 2; }
sha=$(git -C "$repo" rev-parse --verify --quiet "$revision^{commit}") || { log "unknown revision $revision"; exit 2; }
short=${sha:0:12}

builds="$repo/.data/deploy/builds"
bin="$builds/$short/hark"
if [ -x "$bin" ]; then
	log "using the build of $short from $bin"
else
	log "building $short ($revision)"
	src=$(mktemp -d)
	trap 'rm -rf "$src"' EXIT
	git -C "$repo" archive "$sha" | tar -x -C "$src"
	mkdir -p "$builds/$short"
	(cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-auto} go build -trimpath \
		-ldflags "-s -w -X main.version=$short" -o "$bin.tmp" ./cmd/hark)
	mv "$bin.tmp" "$bin"
fi
[ "$("$bin" version)" = "$short" ] || { log "$bin does not say it is $short"; exit 1; }

log "migrating and rolling $short out to $env_name's $role hosts, one at a time"
cd "$repo/deploy/ansible"
if ansible-playbook -i "$inventory" rollout.yml \
	-e hark_deploy_role="$role" -e hark_release="$short" -e hark_release_bin="$bin" "$@"; then
	log "$env_name $role runs $short"
else
	log "FAILED: $env_name $role did not take $short; the failed host was rolled back (see above)"
	exit 1
fi
