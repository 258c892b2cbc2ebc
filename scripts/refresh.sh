#!/usr/bin/env bash
# make refresh ENV=<env> — records a refresh in the state of a deployed stack (terraform apply -refresh-only).
# Resources that change others (a bucket policy, a security-group rule, an inline role policy) show up in the parent's
# attributes only on the next read; without this, the next drift check reports them as drift. make apply runs it;
# run it yourself after `cdktf deploy <env>`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/refresh.sh <env>}
dir=$(synthesized_stack "$env") || exit 1
[ -d "$dir/.terraform" ] || die "$dir is not initialized; deploy $env first (make apply ENV=$env or cdktf deploy $env)"
use_tf_mirror
mkdir -p "$MLOPSTF_OUT/plans"
log="$MLOPSTF_OUT/plans/$env.refresh.log"
log "$env: recording the refreshed state"
terraform -chdir="$dir" apply -refresh-only -auto-approve -input=false -lock-timeout="${LOCK_TIMEOUT:-120s}" >"$log" 2>&1 ||
  { cat "$log" >&2; die "recording the refreshed state of $env failed (log: $log); run make drift ENV=$env"; }
