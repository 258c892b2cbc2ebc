#!/usr/bin/env bash
# make bench: every performance goal of the project, measured here, each printed with its goal and PASS or MISS.
#   set-up  a clean clone of HEAD with a fresh HOME: its first `make synth` (CDKTF packages built, app built,
#           synthesized), wall time and peak memory (BENCH_SETUP=0 leaves it out)
#   synth   whole app vs the empty app (one stack, the AWS provider, no resources): medians of BENCH_RUNS runs,
#           and one profiled run of the whole app (MLOPSTF_PROFILE=1)
#   scale   dev's platform stack with 1, 10 and 50 models x serverless endpoints (scripts/bench/ScaleApp): the cost
#           of an added endpoint, and whether it stays linear; and its floor (scripts/bench/EndpointFloor: the jsii
#           objects an endpoint adds, created bare, plus its share of the synth)
#   tests   `CI=true make test` on this clone, warm (BENCH_TESTS=0 leaves it out), with the e2e run's own time; and
#           `.ci/run` on a clean clone of HEAD with a fresh HOME, cold (BENCH_COLD=0 leaves it out); for each, the
#           CPU the machine used and the wall time that CPU needs at least on this machine's cores
# Outputs and logs under .bench/; the summary is .bench/summary.txt. A MISS is a result, not a failure: the exit status
# is non-zero only when something could not be measured.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MLOPSTF_ROOT"
runs=${BENCH_RUNS:-5}
work="$MLOPSTF_ROOT/.bench"
rm -rf "$work"; mkdir -p "$work"
summary="$work/summary.txt"
: >"$summary"

# verdict NAME VALUE GOAL UNIT: VALUE <= GOAL passes.
verdict() {
  local name=$1 value=$2 goal=$3 unit=$4 mark
  mark=$(python3 -c "import sys; print('PASS' if float(sys.argv[1]) <= float(sys.argv[2]) else 'MISS')" "$value" "$goal")
  printf '%-44s %10s %-4s  goal <= %s %s  %s\n' "$name" "$value" "$unit" "$goal" "$unit" "$mark" | tee -a "$summary"
}
# fresh_clone: a clean clone of HEAD with an empty home beside it, in a new folder outside this checkout (its
# Directory.Build.props must not reach the clone or the package build); prints the folder.
fresh_clone() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/mlopstf-bench.XXXXXX")
  git clone -q --no-hardlinks "$MLOPSTF_ROOT" "$dir/clone"
  git -C "$dir/clone" checkout -q "$(git rev-parse HEAD)"
  mkdir -p "$dir/home"
  printf '%s\n' "$dir"
}
# cpu_seconds: the CPU time every core of this machine has spent busy since boot (user, nice, system, irq, softirq,
# steal in /proc/stat; USER_HZ = 100).
cpu_seconds() { awk '/^cpu /{printf "%.0f\n", ($2 + $3 + $4 + $7 + $8 + $9) / 100}' /proc/stat; }
# cpu_floor WHAT BEFORE: the CPU the machine used since BEFORE, and the wall time that needs at least on its cores.
cpu_floor() {
  local used=$(( $(cpu_seconds) - $2 )) cores
  cores=$(nproc)
  echo "$1: the machine was busy for $used s of CPU on $cores cores: at least $(( used / cores )) s of wall time here" | tee -a "$summary"
}
# bench_json NAME FIELD: a field of scripts/bench.py's JSON results.
bench_json() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])" "$work/$1.json" "$2" "$3"; }

if [ "${BENCH_SETUP:-1}" != 0 ]; then
  log "set-up: clean clone of HEAD, fresh HOME, first make synth (the CDKTF packages are built; about 2 minutes)"
  fresh=$(fresh_clone)
  python3 scripts/bench.py "$(cat <<JSON
{"runs": 1, "json": true, "system_memory": true,
 "commands": {"first make synth": ["make", "-C", "$fresh/clone", "synth"]},
 "env": {"first make synth": {"HOME": "$fresh/home", "NUGET_PACKAGES": "", "MLOPSTF_CACHE_DIR": "$fresh/home/.cache/mlopstf"}}}
JSON
)" >"$work/setup.json" 2>"$work/setup.log" || { tail -30 "$work/setup.log"; die "the fresh clone's make synth failed; see .bench/setup.log"; }
  verdict "set-up: first make synth, fresh clone+HOME" "$(bench_json setup 'first make synth' median_s)" 240 s
  verdict "set-up: peak memory (machine, over idle)" "$(bench_json setup 'first make synth' peak_system_mib)" 4096 MiB
  rm -rf "$fresh"
fi

log "synth: whole app vs empty app, $runs runs each"
dotnet build scripts/bench/EmptyApp/EmptyApp.csproj -c Release -nologo -v q -clp:ErrorsOnly -o "$work/empty-app" >/dev/null
python3 scripts/bench.py "$(cat <<JSON
{"runs": $runs, "json": true,
 "commands": {
   "whole app": ["dotnet", "$MLOPSTF_APP_DLL"],
   "empty app": ["dotnet", "$work/empty-app/EmptyApp.dll"]},
 "env": {
   "whole app": {"CDKTF_OUTDIR": "$work/whole.out"},
   "empty app": {"CDKTF_OUTDIR": "$work/empty.out"}}}
JSON
)" >"$work/synth.json" 2>"$work/synth.log"
whole=$(bench_json synth 'whole app' median_s)
empty=$(bench_json synth 'empty app' median_s)
printf 'synth medians: whole app %s s, empty app %s s (peak RSS %s / %s MiB)\n' "$whole" "$empty" \
  "$(bench_json synth 'whole app' peak_rss_mib)" "$(bench_json synth 'empty app' peak_rss_mib)" | tee -a "$summary"
verdict "synth: whole app / empty app" "$(python3 -c "print(round($whole / $empty, 2))")" 1.8 x
MLOPSTF_PROFILE=1 CDKTF_OUTDIR="$work/profile.out" dotnet "$MLOPSTF_APP_DLL" 2>&1 >/dev/null | grep '^profile:' | tee -a "$summary"

# Differences of totals: one run each is noise (1 endpoint once took longer than 10), so at least 3.
scale_runs=$(( runs < 3 ? 3 : runs ))
log "scale: 1, 10 and 50 endpoints in dev, $scale_runs runs each"
dotnet build scripts/bench/ScaleApp/ScaleApp.csproj -c Release -nologo -v q -clp:ErrorsOnly -o "$work/scale-app" >/dev/null
for n in 1 10 50; do
  for _ in $(seq "$scale_runs"); do
    CDKTF_OUTDIR="$work/scale.out" dotnet "$work/scale-app/ScaleApp.dll" "$n" 2>>"$work/scale.log" | grep '^scale:' >>"$work/scale.txt" ||
      { tail -20 "$work/scale.log"; die "the scale app failed with $n endpoints; see .bench/scale.log"; }
  done
  cp "$work/scale.out/stacks/dev/cdk.tf.json" "$work/scale-$n.tf.json"
done
read -r t1 t10 t50 synth_per_endpoint < <(python3 - "$work/scale.txt" <<'PY'
import re, statistics, sys
runs, synths = {}, {}
for line in open(sys.argv[1]):
    n, compose, synth = map(int, re.match(r"scale: (\d+) endpoints, compose (\d+) ms, synth (\d+) ms", line).groups())
    runs.setdefault(n, []).append(compose + synth)
    synths.setdefault(n, []).append(synth)
print(*(round(statistics.median(runs[n])) for n in (1, 10, 50)), round((statistics.median(synths[50]) - statistics.median(synths[1])) / 49))
PY
)
echo "scale medians (compose + synth in the process): 1 endpoint $t1 ms, 10 endpoints $t10 ms, 50 endpoints $t50 ms" | tee -a "$summary"
per_endpoint=$(( (t50 - t1) / 49 ))
growth=$(python3 -c "low, high = ($t10 - $t1) / 9, ($t50 - $t10) / 40; print(round(high / low, 2) if low > 0 else 99)")
verdict "scale: cost of an added endpoint" "$per_endpoint" 50 ms
verdict "scale: per-endpoint cost 10->50 / 1->10" "$growth" 1.3 x

# The floor under that cost: the jsii objects an endpoint adds, created bare (scripts/bench/EndpointFloor), plus the
# endpoint's share of the synth measured above. The floor app must create the resource types an endpoint adds.
log "scale: the floor of an added endpoint (its jsii objects created bare, 100 times)"
dotnet build scripts/bench/EndpointFloor/EndpointFloor.csproj -c Release -nologo -v q -clp:ErrorsOnly -o "$work/floor-app" >/dev/null
dotnet "$work/floor-app/EndpointFloor.dll" 100 >"$work/floor.txt" 2>"$work/floor.log" ||
  { tail -20 "$work/floor.log"; die "the endpoint floor app failed; see .bench/floor.log"; }
python3 - "$work/scale-1.tf.json" "$work/scale-50.tf.json" "$work/floor.txt" <<'PY' || die "scripts/bench/EndpointFloor no longer creates what an endpoint adds; make its Endpoint() create those types"
import collections, json, sys
def types(path):
    return collections.Counter({t: len(named) for t, named in json.load(open(path)).get("resource", {}).items()})
one, fifty = types(sys.argv[1]), types(sys.argv[2])
added = {t: (fifty[t] - one[t]) / 49 for t in fifty if fifty[t] != one[t]}
line = next(l for l in open(sys.argv[3]) if l.startswith("floor types: "))
floor = dict((t, float(c)) for t, c in (p.split("=") for p in line.split(": ", 1)[1].split()))
if added != floor:
    sys.exit(f"an endpoint adds {sorted(added.items())} to the scale app's stack; the floor app creates {sorted(floor.items())}")
PY
read -r floor_wall floor_net floor_kernel < <(sed -nE 's/^floor: .* wall ([0-9.]+) ms, \.NET CPU ([0-9.]+) ms, kernel CPU ([0-9.]+) ms per set$/\1 \2 \3/p' "$work/floor.txt")
echo "scale: floor of an added endpoint: its jsii objects created bare $floor_wall ms (.NET CPU $floor_net ms, jsii kernel CPU $floor_kernel ms) + its synth $synth_per_endpoint ms = $(python3 -c "print(round($floor_wall + $synth_per_endpoint))") ms" | tee -a "$summary"

if [ "${BENCH_TESTS:-1}" != 0 ]; then
  log "tests: CI=true make test, warm (this clone's packages and builds)"
  start=$(date +%s%N); cpu_before=$(cpu_seconds)
  CI=true make test >"$work/test.log" 2>&1 || { tail -20 "$work/test.log"; die "the test suite failed; see .bench/test.log"; }
  wall=$(( ($(date +%s%N) - start) / 1000000000 ))
  echo "make test: $(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/test.log" | tail -1)" | tee -a "$summary"
  verdict "tests: CI=true make test, warm" "$wall" 300 s
  cpu_floor "tests: make test, warm" "$cpu_before"
  e2e=$(sed -nE 's/.*e2e: [0-9]+ passed, [0-9]+ failed in ([0-9]+) s$/\1/p' "$work/test.log" | tail -1)
  [ -n "$e2e" ] && verdict "tests: the e2e run" "$e2e" 240 s
fi

if [ "${BENCH_COLD:-1}" != 0 ]; then
  log "tests: .ci/run on a clean clone of HEAD with a fresh HOME, set-up included (about 16 minutes)"
  cold=$(fresh_clone)
  start=$(date +%s%N); cpu_before=$(cpu_seconds)
  (cd "$cold/clone" && HOME="$cold/home" NUGET_PACKAGES="" MLOPSTF_CACHE_DIR="$cold/home/.cache/mlopstf" .ci/run) >"$work/cold.log" 2>&1 ||
    { tail -20 "$work/cold.log"; rm -rf "$cold"; die "the clean clone's .ci/run failed; see .bench/cold.log"; }
  wall=$(( ($(date +%s%N) - start) / 1000000000 ))
  rm -rf "$cold"
  echo ".ci/run (cold): $(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/cold.log" | tail -1)" | tee -a "$summary"
  verdict "tests: .ci/run, clean clone + fresh HOME" "$wall" 600 s
  cpu_floor "tests: .ci/run, cold" "$cpu_before"
fi

echo "--- summary (.bench/summary.txt) ---"
cat "$summary"
echo "$(grep -c ' PASS$' "$summary") PASS, $(grep -c ' MISS$' "$summary") MISS"
