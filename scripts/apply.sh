#!/usr/bin/env bash
# make apply ENV=<env> — applies the plan file that `make plan ENV=<env>` wrote from this commit
# (cdktf.out/plans/<env>.tfplan), so what was reviewed is exactly what is applied.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/apply.sh <env>}
out=${CDKTF_OUTDIR:-$MLOPSTF_ROOT/cdktf.out}
plan="$out/plans/$env.tfplan"
[ -f "$plan" ] || die "no plan at $plan; run make plan ENV=$env first (the apply uses that reviewed plan file)"
[ ! -f "$out/stacks/$env/offline_override.tf.json" ] || die "the plan for $env was made offline (dummy credentials, local state) and cannot be applied; run make plan ENV=$env without OFFLINE=1"
use_tf_mirror
terraform -chdir="$out/stacks/$env" apply -input=false "$plan"
