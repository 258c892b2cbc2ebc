#!/usr/bin/env bash
# make apply ENV=<env> — applies the plan file that `make plan ENV=<env>` wrote from this commit
# (cdktf.out/plans/<env>.tfplan), so what was reviewed is exactly what is applied. Then it records a refresh in the
# state (scripts/refresh.sh says why).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/apply.sh <env>}
plans="$MLOPSTF_OUT/plans"
[ -f "$plans/$env.tfplan" ] || die "no plan at $plans/$env.tfplan; run make plan ENV=$env first (the apply uses that reviewed plan file)"
dir=$(synthesized_stack "$env") || exit 1
[ ! -f "$(overrides path "$dir" offline)" ] || die "the plan for $env was made offline (dummy credentials, local state) and cannot be applied; run make plan ENV=$env without OFFLINE=1"
use_tf_mirror
terraform -chdir="$dir" apply -input=false "$plans/$env.tfplan"
bash "$MLOPSTF_ROOT/scripts/refresh.sh" "$env" || die "the apply succeeded, but recording the refreshed state failed"
