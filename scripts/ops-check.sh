#!/usr/bin/env bash
# ops-check.sh checks deploy/: the Prometheus rules and their unit tests, the Prometheus and
# Alertmanager configuration and its routing, the Grafana dashboard, the Ansible playbooks
# (syntax for every inventory, ansible-lint) and deploy.sh's syntax. `make test` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ops-tools.sh

promtool check rules deploy/prometheus/alerts.yml
promtool test rules deploy/prometheus/alerts_test.yml
# The scrape config names secret files that exist only on the Prometheus host.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp deploy/prometheus/prometheus.yml deploy/prometheus/alerts.yml "$tmp/"
promtool check config --syntax-only "$tmp/prometheus.yml"

amtool check-config deploy/alertmanager/alertmanager.yml
route() {
	local got
	got=$(amtool config routes test --config.file=deploy/alertmanager/alertmanager.yml "$1")
	[ "$got" = "$2" ] || { echo "ops-check: an alert with $1 goes to '$got', want '$2'" >&2; exit 1; }
}
route severity=page "pager,chat"
route severity=ticket chat

# The dashboard is JSON, every panel queries Prometheus, and every alert has a panel.
python3 - deploy/grafana/hark.json deploy/prometheus/alerts.yml <<'PY'
import json, re, sys
dash = json.load(open(sys.argv[1]))
panels = dash["panels"]
assert panels and all(p["targets"] and all(t["expr"] for t in p["targets"]) for p in panels), "a panel without PromQL"
described = " ".join(p.get("description", "") for p in panels)
alerts = re.findall(r"^\s*- alert: (\w+)", open(sys.argv[2]).read(), re.M)
shown = {a for a in alerts if a in described}
# An alert shares its panel with its sibling (HarkDown/HarkInstanceDown, the Typesense and
# Postgres pair): each alert's metric must appear in some panel's PromQL.
exprs = " ".join(t["expr"] for p in panels for t in p["targets"])
for a in alerts:
    body = open(sys.argv[2]).read().split("- alert: " + a, 1)[1].split("- alert:", 1)[0]
    metrics = set(re.findall(r"\b(hark_\w+|http_\w+|node_\w+|probe_success|pg_up|up)\b", body.split("labels:")[0]))
    missing = [m for m in metrics if m not in exprs]
    assert not missing, f"{a}: no panel queries {missing}"
print(f"grafana: {len(panels)} panels cover the {len(alerts)} alerts' series")
PY

cd deploy/ansible
for env in inventories/*/; do
	ansible-playbook -i "$env" site.yml --syntax-check >/dev/null
	ansible-playbook -i "$env" rollout.yml --syntax-check -e hark_deploy_role=web >/dev/null
done
ansible-lint --nocolor -q
bash -n ../deploy.sh
echo "ops-check: ok"
