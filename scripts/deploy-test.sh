#!/usr/bin/env bash
# deploy-test.sh runs deploy/ for real against a throwaway Debian bookworm machine on this one:
# a rootfs debootstrapped from Debian's packages (cached in .data/deploy-test/bookworm-base),
# copied and booted with systemd-nspawn, sharing this machine's network namespace so that every
# service it runs binds to loopback only (deploy/ansible/inventories/local). Ansible reaches it by
# nsenter. Then:
#   1. the whole playbook (site.yml), then again: the second run must change nothing;
#   2. deploy.sh local HEAD web and worker (HEAD as it was when the script started): the web process answers /readyz, through Caddy too;
#   3. deploy.sh local BAD web, BAD a commit made here whose /readyz always fails: deploy.sh must
#      fail, and the host must be back on HEAD's release, ready.
# The machine is powered off and deleted at the end. Needs root. `make deploy-test` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=.data/deploy-test
base=$work/bookworm-base
target=$work/target
archives=$work/apt-archives
log() { printf '\ndeploy-test: %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

bash scripts/ops-tools.sh --targets
# The revision under test, fixed now: HEAD may move while this runs.
good=$(git rev-parse --short=12 HEAD)
mkdir -p "$work" "$archives"

if [ ! -x "$base/usr/bin/python3" ]; then
	log "debootstrapping Debian bookworm into $base (once; cached)"
	rm -rf "$base"
	debootstrap --variant=minbase \
		--include=systemd,systemd-sysv,dbus,python3,ca-certificates,curl,sudo,procps,iproute2 \
		bookworm "$base" http://deb.debian.org/debian
fi

nspawn_pid=""
cleanup() {
	if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
		log "powering the target off"
		kill -TERM "$nspawn_pid" 2>/dev/null || true
		for _ in $(seq 60); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 1; done
		kill -KILL "$nspawn_pid" 2>/dev/null || true
	fi
	rm -rf "$target"
}
trap cleanup EXIT

log "booting a throwaway copy of the base in $target"
rm -rf "$target"
cp -a "$base" "$target"
echo harktarget > "$target/etc/hostname"
setsid systemd-nspawn -D "$target" --boot --register=no --keep-unit --console=passive \
	-M harktarget --bind="$repo/$archives:/var/cache/apt/archives" >"$work/nspawn.log" 2>&1 &
nspawn_pid=$!
for _ in $(seq 60); do
	init=$(ps -o pid= --ppid "$nspawn_pid" | tr -d ' ' | head -1 || true)
	if [ -n "$init" ]; then
		state=$(nsenter -t "$init" -a systemctl is-system-running 2>/dev/null || true)
		case "$state" in running | degraded) break ;; esac
	fi
	sleep 1
done
[ -n "${init:-}" ] || fail "the target did not boot (see $work/nspawn.log)"
log "target booted: init is PID $init ($state)"
export HARK_TARGET_PID=$init
export ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1

play() {
	(cd deploy/ansible && ansible-playbook -i inventories/local site.yml) | tee "$work/play-$1.log"
}
recap() { grep -A1 'PLAY RECAP' "$work/play-$1.log" | tail -1; }

log "1. the playbook, first run"
play 1
log "1. the playbook, second run: it must change nothing"
play 2
recap 2 | grep -q 'changed=0 .*failed=0' || fail "the second run changed something: $(recap 2)"

log "2. deploy.sh local $good web, then worker"
deploy/deploy.sh local "$good" web
deploy/deploy.sh local "$good" worker
curl -fsS http://127.0.0.1:18081/readyz || fail "web /readyz"
curl -fsS http://127.0.0.1:19090/readyz || fail "worker /readyz"
curl -fsS -k --compressed -o /dev/null -D "$work/headers" https://localhost:18443/ || fail "Caddy does not serve the site"
grep -qi '^content-encoding: \(gzip\|zstd\)' "$work/headers" || fail "Caddy does not compress"
log "through Caddy: $(head -1 "$work/headers" | tr -d '\r'), $(grep -i '^content-encoding' "$work/headers" | tr -d '\r')"

log "1. the playbook, third run, with Hark deployed: it must change nothing either"
play 3
recap 3 | grep -q 'changed=0 .*failed=0' || fail "the third run changed something: $(recap 3)"

log "3. a revision whose /readyz fails: deploy.sh must roll the host back and fail"
tree=$(GIT_INDEX_FILE="$work/bad.index" bash -c '
	git read-tree "$0"
	blob=$(git show "$0:http/health.go" | sed "s|func (s \*Server) handleReadyz(w http.ResponseWriter, r \*http.Request) {|&\n\twriteJSON(w, http.StatusServiceUnavailable, map[string]string{\"status\": \"broken on purpose\"})\n\treturn|" | git hash-object -w --stdin)
	git update-index --cacheinfo 100644,"$blob",http/health.go
	git write-tree' "$good")
rm -f "$work/bad.index"
bad=$(git commit-tree "$tree" -p "$good" -m "deploy-test: a release whose /readyz always fails")
if deploy/deploy.sh local "$bad" web -e hark_ready_retries=5; then
	fail "deploy.sh succeeded with a release whose /readyz fails"
fi
current=$(nsenter -t "$init" -a readlink /opt/hark/current-web)
[ "$(basename "$current")" = "$good" ] || fail "after the failed deploy current is $current, want $good"
curl -fsS http://127.0.0.1:18081/readyz || fail "web /readyz after the rollback"
log "OK: playbook twice (second: $(recap 2 | sed 's/  */ /g')), deploys of $good, and ${bad:0:12} rolled back to $good"
