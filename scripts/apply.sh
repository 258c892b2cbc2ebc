#!/usr/bin/env bash
# make apply ENV=<env> — applies the plan file that `make plan ENV=<env>` wrote from this commit
# (cdktf.out/plans/<env>.tfplan), so what was reviewed is exactly what is applied. Then it records a refresh in the
# state: resources that change others (a bucket policy, a security-group rule, an inline role policy) show up in the
# parent's attributes only on the next read, and without this the next drift check would report them as drift.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/apply.sh <env>}
out=${CDKTF_OUTDIR:-$MLOPSTF_ROOT/cdktf.out}
plan="$out/plans/$env.tfplan"
[ -f "$plan" ] || die "no plan at $plan; run make plan ENV=$env first (the apply uses that reviewed plan file)"
[ ! -f "$(overrides path "$out/stacks/$env" offline)" ] || die "the plan for $env was made offline (dummy credentials, local state) and cannot be applied; run make plan ENV=$env without OFFLINE=1"
use_tf_mirror
terraform -chdir="$out/stacks/$env" apply -input=false "$plan"
log "$env: recording the refreshed state after the apply"
terraform -chdir="$out/stacks/$env" apply -refresh-only -auto-approve -input=false -lock-timeout="${LOCK_TIMEOUT:-120s}" >"$out/plans/$env.refresh.log" 2>&1 ||
  { cat "$out/plans/$env.refresh.log" >&2; die "the apply succeeded, but recording the refreshed state failed; run make drift ENV=$env"; }
