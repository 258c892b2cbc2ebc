#!/usr/bin/env bash
# Synthesizes every stack into cdktf.out/ by running the built app (what `cdktf synth` runs, minus the CLI start-up).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MLOPSTF_ROOT"
out=${CDKTF_OUTDIR:-cdktf.out}
rm -rf "$out/stacks"
start=$(date +%s%N)
CDKTF_OUTDIR="$out" dotnet "$MLOPSTF_APP_DLL"
log "synthesized $(ls "$out/stacks" | wc -l) stacks into $out/stacks in $(( ($(date +%s%N) - start) / 1000000 )) ms: $(ls "$out/stacks" | tr '\n' ' ')"
