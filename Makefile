# MlopsTf — every workflow the README documents, and the ones CI calls.
SHELL := /bin/bash
.DEFAULT_GOAL := help
APP_DLL := $(shell bash -c '. scripts/lib.sh && printf %s "$$MLOPSTF_APP_DLL"')
# SYNTH=0 makes plan/destroy use the stacks already in $$CDKTF_OUTDIR (e.g. with a local-profile override beside them).
SYNTH ?= 1
SYNTH_FIRST := $(if $(filter 0,$(SYNTH)),,synth)
APP_SOURCES := $(shell find Main.cs constructs environments bootstrap -name '*.cs' 2>/dev/null) MlopsTf.csproj Directory.Build.props NuGet.config

.PHONY: help setup build synth hcl test e2e verify-access verify-pipeline docs accept-snapshots bench policy plan apply refresh drift rollback promote fresh-runner unlock destroy clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

setup: ## Install what is missing (CDKTF .NET packages are built once per machine if NuGet lacks them)
	@bash scripts/setup.sh

$(APP_DLL): $(APP_SOURCES)
	@bash scripts/setup.sh
	dotnet build MlopsTf.csproj -c Release -nologo -v q -clp:ErrorsOnly

build: $(APP_DLL) ## Build the app

synth: build ## Synthesize every stack into cdktf.out/
	@bash scripts/synth.sh

hcl: build ## Every stack as HCL (cdk.tf), as cdktf synth --hcl writes it: make hcl OUT=<folder> (the exit path from CDKTF)
	@test -n "$(OUT)" || { echo "error: OUT is required, e.g. make hcl OUT=../mlopstf-hcl" >&2; exit 2; }
	@bash scripts/hcl.sh "$(OUT)"

test: setup ## Build and run every test (ends with "N passed, N failed")
	@bash scripts/test.sh

e2e: build ## Bootstrap, deploy, lock, drift, crash-recover and destroy dev on a local AWS stand-in (moto)
	@bash scripts/e2e.sh

verify-access: synth ## IAM decisions for every workload's run-time calls and what must be refused (WRITE_DOCS=1 rewrites docs/access.md)
	@bash scripts/verify-access.sh $(if $(filter 1,$(WRITE_DOCS)),--write-docs)

verify-pipeline: synth ## The training pipeline run locally on every stack: scenarios, broken definitions, drift alarm -> EventBridge -> pipeline
	@bash scripts/verify-pipeline.sh

docs: synth ## Regenerate the generated docs (docs/access.md, docs/resources.md); review the diff
	@bash scripts/verify-access.sh --write-docs | tail -1
	@MLOPSTF_WRITE_DOCS=1 TEST_FILTER="FullyQualifiedName~ResourceTableTests" PYTHON_SUITES= E2E=0 VERIFY=0 FRESH_RUNNER=0 bash scripts/test.sh | tail -1
	@git status --short docs

accept-snapshots: setup ## Accept the current synth output as the reviewed snapshots (never in CI)
	@if [ -n "$$CI" ]; then echo "error: snapshots are never accepted in CI; run make accept-snapshots locally and commit the reviewed change" >&2; exit 1; fi
	MLOPSTF_ACCEPT_SNAPSHOTS=1 TEST_FILTER="FullyQualifiedName~SnapshotTests" PYTHON_SUITES= E2E=0 VERIFY=0 FRESH_RUNNER=0 bash scripts/test.sh
	@git status --short tests/Snapshots

policy: build ## Security and AWS service rules that ran, findings and waivers of every stack (text here, JSON in cdktf.out/policy-report.json)
	@# CDKTF stops at the first stack with an error annotation; this variable makes it evaluate every stack (the
	@# stacks are still removed when anything fails).
	@CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=1 bash scripts/synth.sh >/dev/null 2>&1 || true
	@cat cdktf.out/policy-report.txt
	@echo "--- JSON (cdktf.out/policy-report.json) ---"
	@cat cdktf.out/policy-report.json
	@! grep -q '^  ERROR' cdktf.out/policy-report.txt

plan: $(SYNTH_FIRST) ## Plan one stack: make plan ENV=dev [OFFLINE=1] [APPROVE_DESTRUCTIVE=1 | APPROVED_DESTRUCTIVE_FILE=approvals.json]; summary in cdktf.out/plans/
	@test -n "$(ENV)" || { echo "error: ENV is required, e.g. make plan ENV=dev OFFLINE=1" >&2; exit 2; }
	@bash scripts/plan.sh $(ENV)

apply: ## Apply the plan file make plan wrote for this commit: make apply ENV=dev
	@test -n "$(ENV)" || { echo "error: ENV is required, e.g. make apply ENV=dev" >&2; exit 2; }
	@bash scripts/apply.sh $(ENV)

destroy: $(SYNTH_FIRST) ## Destroy an environment stack: make destroy ENV=dev CONFIRM="destroy dev"
	@test -n "$(ENV)" || { echo "error: ENV is required, e.g. make destroy ENV=dev CONFIRM=\"destroy dev\"" >&2; exit 2; }
	@CONFIRM="$(CONFIRM)" bash scripts/destroy.sh $(ENV)

refresh: ## Record a refresh in a deployed stack's state (make apply does it; run it after cdktf deploy): make refresh ENV=dev
	@test -n "$(ENV)" || { echo "error: ENV is required, e.g. make refresh ENV=dev" >&2; exit 2; }
	@bash scripts/refresh.sh $(ENV)

drift: ## Drift check of a deployed stack: make drift ENV=dev [TARGETS="..."]; exit 0 clean, 2 drift/pending, 1 error
	@test -n "$(ENV)" || { echo "error: ENV is required, e.g. make drift ENV=dev" >&2; exit 1; }
	@bash scripts/drift.sh $(ENV)

rollback: build ## Point an endpoint back at an older retained version in environments/releases.json, then plan: make rollback ENV=prod ENDPOINT=churn VERSION=1.0.0 [OFFLINE=1]
	@test -n "$$ENV" -a -n "$$ENDPOINT" -a -n "$$VERSION" || { echo "error: ENV, ENDPOINT and VERSION are required, e.g. make rollback ENV=prod ENDPOINT=churn VERSION=1.0.0" >&2; exit 2; }
	@bash scripts/release.sh rollback --env "$$ENV" --endpoint "$$ENDPOINT" --version "$$VERSION"
	@$(MAKE) --no-print-directory plan SYNTH=1

promote: build ## Move an environment's endpoints of a model to the version the environment before it serves, then plan: make promote ENV=staging VERSION=1.2.0 [MODEL=churn] [OFFLINE=1]
	@test -n "$$ENV" -a -n "$$VERSION" || { echo "error: ENV and VERSION are required, e.g. make promote ENV=staging VERSION=1.2.0" >&2; exit 2; }
	@bash scripts/release.sh promote --env "$$ENV" --version "$$VERSION" $${MODEL:+--model "$$MODEL"}
	@$(MAKE) --no-print-directory plan SYNTH=1

unlock: ## Release a stale state lock (docs/runbooks/stale-lock.md): make unlock ENV=dev LOCK_ID=<id>
	@test -n "$(ENV)" || { echo "error: ENV is required, e.g. make unlock ENV=dev LOCK_ID=<id from the lock error>" >&2; exit 2; }
	@LOCK_ID="$(LOCK_ID)" bash scripts/unlock.sh $(ENV)

fresh-runner: ## A workflow job's shell steps on a clean clone of HEAD, fresh HOME, only the runner's tools: make fresh-runner [JOB=pr.yml:test] [COLD=1] [SET="E2E=0 ..."]
	@python3 scripts/fresh_runner.py --job $(or $(JOB),pr.yml:test) $(if $(COLD),--cold) $(foreach s,$(SET),--set $(s))

bench: build ## Median synth time and peak memory: whole app vs empty app; test-suite wall time
	@bash scripts/bench.sh

clean: ## Remove build output and synthesized stacks (keeps the package cache)
	rm -rf bin obj tests/bin tests/obj cdktf.out .bench
