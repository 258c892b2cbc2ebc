#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed" over all of them.
# Exit status is non-zero when any test failed or a suite could not run.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MLOPSTF_ROOT"
# The provider mirror is looked up here once; the scripts inherit TF_CLI_CONFIG_FILE, xunit and Python MLOPSTF_TF_CLI_CONFIG.
use_tf_mirror

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
passed=0; failed=0; status=0
PYTHON_SUITES=${PYTHON_SUITES-functions tests/e2e tests/workflows tests/frontend}
E2E=${E2E-1}  # E2E=0 leaves out make e2e (the lifecycle against the local AWS stand-in, about 10 minutes beside the rest)
VERIFY=${VERIFY-1}  # VERIFY=0 leaves out the access simulation and the pipeline scenarios
FRESH_RUNNER=${FRESH_RUNNER-1}  # FRESH_RUNNER=0 leaves out pr.yml's test job on a clean clone with a fresh HOME (about 3 minutes, in the background)

# make e2e is the longest suite and mostly one process at a time (terraform, its provider, the stand-in): the other
# suites run at a lower priority (nice) so that they fill the second core without stretching it.
yield_to_e2e=()
[ "$E2E" = 0 ] || yield_to_e2e=(nice -n 10)

# The access simulation and the pipeline scenarios read synthesized stacks and need nothing else. They read the
# synth xunit made (MLOPSTF_TEST_SYNTH_DIR; xunit's tests work on copies of it), or synthesize when xunit made none
# (a TEST_FILTER), and run in the background after xunit, beside the Python and end-to-end suites.
export MLOPSTF_TEST_SYNTH_DIR="$results/xunit-synth"
verify_pid=
start_verify() {
  [ "$VERIFY" != 0 ] || return 0
  verify_started=$SECONDS
  local stacks="$MLOPSTF_TEST_SYNTH_DIR/stacks"
  log "verify: access simulation and pipeline scenarios run in the background"
  (
    if ! ls "$stacks"/*/cdk.tf.json >/dev/null 2>&1; then
      stacks="$results/synth/stacks"
      CDKTF_OUTDIR="$results/synth" "${yield_to_e2e[@]}" bash scripts/synth.sh >"$results/synth.log" 2>&1 || { echo "synth failed" >>"$results/synth.log"; exit 1; }
    fi
    MLOPSTF_STACKS_DIR="$stacks" "${yield_to_e2e[@]}" bash scripts/verify-access.sh >"$results/access.log" 2>&1 &
    MLOPSTF_STACKS_DIR="$stacks" "${yield_to_e2e[@]}" bash scripts/verify-pipeline.sh >"$results/pipeline.log" 2>&1 &
    wait
  ) &
  verify_pid=$!
}

# pr.yml's test job as a new runner runs it (make fresh-runner): the setup action's shell steps, make test narrowed
# to the HCL export tests and the workflow checks, and the HCL hygiene step, with only the tools the workflow installs.
fresh_pid=
start_fresh_runner() {
  [ "$FRESH_RUNNER" != 0 ] || return 0
  fresh_started=$SECONDS
  log "fresh-runner: pr.yml's test job on a clean clone of HEAD with a fresh HOME, in the background"
  "${yield_to_e2e[@]}" python3 scripts/fresh_runner.py --job pr.yml:test --set E2E=0 --set VERIFY=0 --set PYTHON_SUITES=tests/workflows \
    --set TEST_FILTER=FullyQualifiedName~HclExportTests.The_hcl_of_every_stack_initializes_and_validates >"$results/fresh-runner.log" 2>&1 &
  fresh_pid=$!
}

# make e2e, the longest suite and a chain of steps, starts first, beside xunit and the Python suites, on the app built
# here (xunit's build then finds it up to date).
e2e_pid=
start_e2e() {
  [ "$E2E" != 0 ] || return 0
  log "e2e: building the app, then bootstrap, deploy, lock, drift, crash recovery and destroy of dev on the local AWS stand-in, in the background"
  dotnet build MlopsTf.csproj -c Release -nologo -v q -clp:ErrorsOnly >"$results/e2e-build.log" 2>&1 ||
    { cat "$results/e2e-build.log"; log "e2e: the app did not build"; failed=$((failed + 1)); status=1; return 0; }
  e2e_started=$SECONDS
  bash scripts/e2e.sh >"$results/e2e.log" 2>&1 &
  e2e_pid=$!
}
start_e2e

start=$SECONDS
log "xunit: building and running tests/ (synth, snapshots, terraform validate)"
"${yield_to_e2e[@]}" dotnet test tests/MlopsTf.Tests.csproj -c Release -nologo \
  --logger "trx;LogFileName=xunit.trx" --results-directory "$results" \
  --logger "console;verbosity=normal" ${TEST_FILTER:+--filter "$TEST_FILTER"} >"$results/xunit.log" 2>&1
xunit_status=$?
if [ "$xunit_status" -ne 0 ]; then
  # Each failure with its message, without the stack frames; build errors too.
  sed -n -E '/^\s+Failed [A-Za-z]/,/^\s+Stack Trace:/p; /error [A-Z]+[0-9]+:/p' "$results/xunit.log" | grep -v 'Stack Trace:' | head -400
fi
grep -E '^(Passed|Failed)!' "$results/xunit.log" || true
trx="$results/xunit.trx"
if [ -f "$trx" ]; then
  read -r p f < <(python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
c = ET.parse(sys.argv[1]).getroot().find("t:ResultSummary/t:Counters", ns)
print(int(c.get("passed")), int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted")))
PY
)
  passed=$((passed + p)); failed=$((failed + f))
  log "xunit: $p passed, $f failed in $((SECONDS - start)) s"
else
  tail -40 "$results/xunit.log"
  log "xunit: no results (build or run failed)"
  failed=$((failed + 1))
fi
[ "$xunit_status" -eq 0 ] || status=1
# The background suites read xunit's synth (or synthesize with the app xunit built).
start_verify
start_fresh_runner

# Adds the last "<suite>: N passed, N failed" line of a suite's log to the totals; no such line counts as a failure.
count_suite() {
  local suite=$1 file=$2 started=$3 summary p f
  summary=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed\$" "$file" | tail -1)
  if [ -z "$summary" ]; then
    tail -60 "$file"
    log "$suite: no results"
    failed=$((failed + 1))
    return
  fi
  read -r p f < <(sed -E "s/^$suite: ([0-9]+) passed, ([0-9]+) failed\$/\1 \2/" <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f))
  log "$suite: $p passed, $f failed in $((SECONDS - started)) s"
}

if [ -n "$PYTHON_SUITES" ]; then
  start=$SECONDS
  log "python: handler and end-to-end suites ($PYTHON_SUITES)"
  "${yield_to_e2e[@]}" python3 scripts/run_unittests.py $PYTHON_SUITES >"$results/python.log" 2>&1
  py_status=$?
  [ "$py_status" -eq 0 ] || sed -n '/^======/,$p' "$results/python.log" | head -200
  count_suite python "$results/python.log" "$start"
  [ "$py_status" -eq 0 ] || status=1
fi

if [ -n "$e2e_pid" ]; then
  wait "$e2e_pid"
  e2e_status=$?
  [ "$e2e_status" -eq 0 ] || sed -n '/^======/,/^Ran /p' "$results/e2e.log" | head -200
  # The timing lines and the list of what the local profile leaves out.
  grep -E '^e2e: |^  ' "$results/e2e.log" | grep -v -E '^e2e: [0-9]+ passed'
  count_suite e2e "$results/e2e.log" "$e2e_started"
  [ "$e2e_status" -eq 0 ] || status=1
fi

if [ -n "$verify_pid" ]; then
  wait "$verify_pid"
  grep -E '^(synth failed|error)' "$results/synth.log" 2>/dev/null | head -20
  # Failures, findings and each suite's own wall time (the "in N s" of the totals counts from their start, beside the other suites).
  grep -E '^FAIL|^access: [0-9]+ cases' "$results/access.log" 2>/dev/null | head -100
  count_suite access "$results/access.log" "$verify_started"
  grep -E '^FAIL|^       - |^finding|^wall time' "$results/pipeline.log" 2>/dev/null | head -100
  count_suite pipeline "$results/pipeline.log" "$verify_started"
fi

if [ -n "$fresh_pid" ]; then
  wait "$fresh_pid" || status=1
  grep -E '^fresh-runner: .*(exit [1-9]|skipped|on a clean clone)' "$results/fresh-runner.log" | head -20
  count_suite fresh-runner "$results/fresh-runner.log" "$fresh_started"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit "$status"
