#!/usr/bin/env bash
# make plan ENV=<env> [OFFLINE=1] [APPROVE_DESTRUCTIVE=1 | APPROVED_DESTRUCTIVE_FILE=<approvals file>]
# Plans one synthesized stack and writes cdktf.out/plans/<env>.{tfplan,json,md,verdict.json}.
# Against AWS it uses the caller's credentials and the stack's S3 backend. OFFLINE=1 plans without any network:
# dummy credentials through the environment, a generated override beside the stack (git-ignored) that skips the
# provider's AWS calls and keeps state locally, and -refresh=false. The plan guard then refuses replacing or deleting
# stateful resources unless APPROVE_DESTRUCTIVE=1 (approves all of them; for local use) or APPROVED_DESTRUCTIVE_FILE
# lists each one by address and action (what the deploy workflow passes: scripts/approval.py writes it from the merged
# pull request). Exit: 0 ok, 3 destructive change needs approval, other = error.
# TF_BACKEND_CONFIG names an extra -backend-config file; LOCK_TIMEOUT (default 120s) is how long to wait for a lock.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/plan.sh <env>}
approve=()
if [ -n "${APPROVED_DESTRUCTIVE_FILE:-}" ]; then
  [ "${APPROVE_DESTRUCTIVE:-}" != 1 ] || die "set APPROVE_DESTRUCTIVE=1 (approves every destructive change) or APPROVED_DESTRUCTIVE_FILE (approves the ones it lists), not both"
  [ -f "$APPROVED_DESTRUCTIVE_FILE" ] || die "APPROVED_DESTRUCTIVE_FILE=$APPROVED_DESTRUCTIVE_FILE does not exist; write it with scripts/approval.py extract, or unset it"
  approve=(--approved "$APPROVED_DESTRUCTIVE_FILE")
elif [ "${APPROVE_DESTRUCTIVE:-}" = 1 ]; then
  approve=(--approve-destructive)
fi
dir=$(synthesized_stack "$env") || exit 1
plans="$MLOPSTF_OUT/plans"
mkdir -p "$plans"
use_tf_mirror
if [ "${OFFLINE:-}" = 1 ]; then
  overrides write "$dir" offline
  export AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline AWS_EC2_METADATA_DISABLED=true
  unset AWS_PROFILE AWS_SESSION_TOKEN
  refresh=(-refresh=false)
  log "$env: offline plan (no AWS calls; dummy credentials; local state)"
else
  overrides remove "$dir" offline
  refresh=()
  log "$env: plan against AWS with the caller's credentials"
fi
[ "${OFFLINE:-}" != 1 ] || TF_BACKEND_CONFIG=  # the offline override uses a local backend
tf_init "$dir" -reconfigure >/dev/null
terraform -chdir="$dir" plan -input=false -lock-timeout="${LOCK_TIMEOUT:-120s}" "${refresh[@]}" -out="$plans/$env.tfplan" >"$plans/$env.plan.log" 2>&1 ||
  { cat "$plans/$env.plan.log" >&2; die "terraform plan failed for $env"; }
terraform -chdir="$dir" show -json "$plans/$env.tfplan" >"$plans/$env.json"
plan_guard --plan "$plans/$env.json" --stack "$env" --markdown "$plans/$env.md" --json "$plans/$env.verdict.json" "${approve[@]}"
