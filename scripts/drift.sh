#!/usr/bin/env bash
# make drift ENV=<env> [TARGETS="addr ..."] — drift check of one synthesized stack.
# Runs `terraform plan -refresh-only` (what changed outside Terraform) and a plan of the code against the recorded
# state without a second refresh (code not yet applied), and writes cdktf.out/drift/<env>.{md,json}. Known noise is
# listed in environments/drift-ignore.json (DRIFT_IGNORE overrides). TARGETS scopes both plans to some resources.
# TF_BACKEND_CONFIG names an extra -backend-config file; LOCK_TIMEOUT (default 120s) is how long to wait for a lock.
# Exit: 0 clean, 2 drift or pending changes, 1 error.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/drift.sh <env>}
dir=$(synthesized_stack "$env") || exit 1
reports="$MLOPSTF_OUT/drift"
mkdir -p "$reports"
use_tf_mirror
targets=()
for t in ${TARGETS:-}; do targets+=("-target=$t"); done

tf_init "$dir" >"$reports/$env.init.log" 2>&1 || { cat "$reports/$env.init.log" >&2; die "terraform init failed for $env"; }
terraform -chdir="$dir" plan -refresh-only -input=false -lock-timeout="${LOCK_TIMEOUT:-120s}" "${targets[@]}" -out="$reports/$env.refresh.tfplan" >"$reports/$env.refresh.log" 2>&1 ||
  { cat "$reports/$env.refresh.log" >&2; die "terraform plan -refresh-only failed for $env"; }
terraform -chdir="$dir" plan -refresh=false -input=false -lock-timeout="${LOCK_TIMEOUT:-120s}" "${targets[@]}" -out="$reports/$env.pending.tfplan" >"$reports/$env.pending.log" 2>&1 ||
  { cat "$reports/$env.pending.log" >&2; die "terraform plan failed for $env"; }
terraform -chdir="$dir" show -json "$reports/$env.refresh.tfplan" >"$reports/$env.refresh.json" || die "terraform show failed"
terraform -chdir="$dir" show -json "$reports/$env.pending.tfplan" >"$reports/$env.pending.json" || die "terraform show failed"

plan_guard drift --stack "$env" --refresh-only "$reports/$env.refresh.json" --plan "$reports/$env.pending.json" \
  --ignore "${DRIFT_IGNORE:-$MLOPSTF_ROOT/environments/drift-ignore.json}" --markdown "$reports/$env.md" --json "$reports/$env.json"
