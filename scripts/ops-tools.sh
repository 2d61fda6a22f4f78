#!/usr/bin/env bash
# ops-tools.sh installs, from Debian, the tools that check and test deploy/: promtool
# (prometheus), amtool (prometheus-alertmanager), ansible and ansible-lint; with --targets also
# what `make deploy-test` boots its throwaway target with (debootstrap, systemd-nspawn). A tool
# already on PATH is left alone.
set -euo pipefail

want=(promtool:prometheus amtool:prometheus-alertmanager ansible-playbook:ansible ansible-lint:ansible-lint)
if [ "${1:-}" = --targets ]; then
	want+=(debootstrap:debootstrap systemd-nspawn:systemd-container nsenter:util-linux curl:curl)
fi
missing=()
for pair in "${want[@]}"; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ops-tools: installing ${missing[*]} from Debian" >&2
apt-get update -qq
# Installing the prometheus package must not start a server on this machine.
DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
