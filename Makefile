# Hark. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO       ?= go
ENVFILE  := .data/env
WITH_ENV := set -a && . $(ENVFILE) && set +a &&
# go.mod's toolchain line names the patched Go release: fetch it from the module proxy when the
# installed go is older.
export GOTOOLCHAIN := auto

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z/_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-14s %s\n", $$1, $$2}'

.PHONY: tools
tools: ## check the Go toolchain (installs Debian's go when absent; go.mod's toolchain comes from the module proxy)
	@command -v $(GO) >/dev/null || { echo "tools: installing golang-go from Debian"; apt-get update -qq && apt-get install -y -qq golang-go >/dev/null; }
	@command -v curl >/dev/null || { echo "tools: installing curl from Debian"; apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
	@$(GO) version

.PHONY: services
services: tools ## install (when missing) and start PostgreSQL and Typesense in .data/
	@bash scripts/services.sh start

.PHONY: services/stop
services/stop: ## stop PostgreSQL and Typesense
	@bash scripts/services.sh stop

bin/hark: $(shell find . -name '*.go' -not -path './.data/*') go.mod go.sum $(shell find http/templates http/static -type f 2>/dev/null)
	@mkdir -p bin
	$(GO) build -o bin/hark ./cmd/hark

.PHONY: build
build: bin/hark ## build bin/hark

.PHONY: migrate
migrate: services bin/hark ## apply migrations to the local database
	@$(WITH_ENV) bin/hark migrate

.PHONY: demo
demo: services bin/hark ## start everything, load demo podcasts and serve http://localhost:8080 (Ctrl-C stops it all)
	@trap 'bash scripts/services.sh stop' EXIT; $(WITH_ENV) bin/hark demo

.PHONY: test
test: services ## run every test against the real PostgreSQL and Typesense, the official API clients too; fail if their output shows a secret
	@bash scripts/check-migrations.sh
	@bash scripts/ops-check.sh
	@bash scripts/xmllint.sh
	@mkdir -p .data
	@clients="$$(bash scripts/clients.sh)" || exit 1; axe="$$(bash scripts/chromium.sh)" || exit 1; \
		$(WITH_ENV) HARK_REQUIRE_SERVICES=1 HARK_CLIENTS_DIR="$$clients" HARK_AXE_JS="$$axe" $(GO) test -count=1 -timeout 15m -json ./... > .data/test-output.json; \
		status=$$?; $(WITH_ENV) $(GO) run ./cmd/internal/secretscan .data/test-output.json || status=1; exit $$status

.PHONY: test/clients
test/clients: services ## the official Listen API clients (PyPI and npm podcast-api) against Hark
	@clients="$$(bash scripts/clients.sh)" && $(WITH_ENV) HARK_REQUIRE_SERVICES=1 HARK_CLIENTS_DIR="$$clients" $(GO) test -count=1 -run 'TestOfficialClients|TestListenAPIContract' -v ./http

.PHONY: test/race
test/race: services ## the tests under the race detector (slower)
	@$(WITH_ENV) HARK_REQUIRE_SERVICES=1 $(GO) test -race -count=1 -timeout 30m ./...

.PHONY: faults
faults: services ## the fault suite: hark serve, Typesense and PostgreSQL killed, restarted, cut off or out of disk mid-work, with the time to recover (about 6 minutes)
	@$(WITH_ENV) HARK_REQUIRE_SERVICES=1 $(GO) test -tags faults -count=1 -v -timeout 30m ./faults

.PHONY: ops-check
ops-check: ## check deploy/: promtool rules and unit tests, amtool, Grafana JSON, ansible syntax and ansible-lint
	@bash scripts/ops-check.sh

.PHONY: deploy-test
deploy-test: ## provision a throwaway Debian container with deploy/ansible twice and deploy to it with deploy/deploy.sh (root, slow)
	@bash scripts/deploy-test.sh

.PHONY: bench
bench: services ## benchmarks with raw River/Postgres/Typesense baselines measured in the same run
	@$(WITH_ENV) $(GO) run ./cmd/harkbench $(BENCHFLAGS)

.PHONY: lint
lint: ## go vet, gofmt, the migration numbering check and govulncheck
	$(GO) vet ./...
	$(GO) vet -tags faults ./faults
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	@bash scripts/check-migrations.sh
	@GO=$(GO) bash scripts/govulncheck.sh

.PHONY: clean-data
clean-data: services/stop ## stop the services and wipe .data/ (databases and index)
	@if [ -L .data/pg ]; then rm -rf "$$(readlink .data/pg)"; fi
	rm -rf .data bin
