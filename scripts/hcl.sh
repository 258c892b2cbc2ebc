#!/usr/bin/env bash
# make hcl OUT=<folder>: every stack synthesized as HCL (cdk.tf), the way `cdktf synth --hcl` does it (CDKTF reads
# SYNTH_HCL_OUTPUT), into <folder>/stacks/<stack>/ with its assets: the exit path from CDKTF (README, "CDKTF is
# deprecated upstream").
set -euo pipefail
source "$(dirname "$0")/lib.sh"
out=${1:?usage: scripts/hcl.sh <folder>}
[ -f "$MLOPSTF_APP_DLL" ] || die "$MLOPSTF_APP_DLL is missing; run make build"
mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$out" in "$MLOPSTF_OUT"|"$MLOPSTF_OUT"/*) die "OUT=$out is make synth's folder; choose another (a cdk.tf.json left beside cdk.tf would declare everything twice)";; esac
# A stack left from an earlier export would be mixed into this one.
rm -rf "$out/stacks"
SYNTH_HCL_OUTPUT=true CDKTF_OUTDIR="$out" dotnet "$MLOPSTF_APP_DLL"
log "HCL of $(ls "$out/stacks" | paste -sd ' ') in $out/stacks; per stack: terraform -chdir=$out/stacks/<stack> init && terraform -chdir=$out/stacks/<stack> plan"
