#!/usr/bin/env bash
# make apply ENV=<env> — applies the plan file that `make plan ENV=<env>` wrote from this commit
# (cdktf.out/plans/<env>.tfplan), so what was reviewed is exactly what is applied. Then it records a refresh in the
# state: resources that change others (a bucket policy, a security-group rule, an inline role policy) show up in the
# parent's attributes only on the next read, and without this the next drift check would report them as drift.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/apply.sh <env>}
plans="$MLOPSTF_OUT/plans"
[ -f "$plans/$env.tfplan" ] || die "no plan at $plans/$env.tfplan; run make plan ENV=$env first (the apply uses that reviewed plan file)"
dir=$(synthesized_stack "$env") || exit 1
[ ! -f "$(overrides path "$dir" offline)" ] || die "the plan for $env was made offline (dummy credentials, local state) and cannot be applied; run make plan ENV=$env without OFFLINE=1"
use_tf_mirror
terraform -chdir="$dir" apply -input=false "$plans/$env.tfplan"
log "$env: recording the refreshed state after the apply"
terraform -chdir="$dir" apply -refresh-only -auto-approve -input=false -lock-timeout="${LOCK_TIMEOUT:-120s}" >"$plans/$env.refresh.log" 2>&1 ||
  { cat "$plans/$env.refresh.log" >&2; die "the apply succeeded, but recording the refreshed state failed; run make drift ENV=$env"; }
