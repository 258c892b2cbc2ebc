#!/usr/bin/env bash
# make bench: whole-app synth vs the empty-app floor (median of BENCH_RUNS runs, peak RSS of the process tree),
# then one timed run of the test suite.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MLOPSTF_ROOT"
runs=${BENCH_RUNS:-5}
work="$MLOPSTF_ROOT/.bench"
rm -rf "$work"; mkdir -p "$work"

dotnet build scripts/bench/EmptyApp/EmptyApp.csproj -c Release -nologo -v q -clp:ErrorsOnly -o "$work/empty-app" >/dev/null
log "synth, $runs runs each (outputs under .bench/)"
python3 scripts/bench.py "$(cat <<JSON
{"runs": $runs,
 "commands": {
   "whole app": ["dotnet", "$MLOPSTF_ROOT/bin/Release/net10.0/MlopsTf.dll"],
   "empty app": ["dotnet", "$work/empty-app/EmptyApp.dll"]},
 "env": {
   "whole app": {"CDKTF_OUTDIR": "$work/whole.out"},
   "empty app": {"CDKTF_OUTDIR": "$work/empty.out"}}}
JSON
)" | tee "$work/synth.txt"
whole=$(awk '/^whole app/ {print $4}' "$work/synth.txt")
empty=$(awk '/^empty app/ {print $4}' "$work/synth.txt")
python3 -c "print(f'whole app / empty app = {$whole / $empty:.2f}x (target <= 1.30x)')"

log "test suite (make test), one run"
start=$(date +%s%N)
bash scripts/test.sh >"$work/test.log" 2>&1 || { tail -20 "$work/test.log"; die "the test suite failed; see .bench/test.log"; }
echo "make test (warm): $(( ($(date +%s%N) - start) / 1000000 )) ms wall, $(tail -1 "$work/test.log")"
