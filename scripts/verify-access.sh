#!/usr/bin/env bash
# Runs the access simulation (tests/access) on the synthesized stacks; last line "access: N passed, N failed".
# Stacks come from $MLOPSTF_STACKS_DIR (default cdktf.out/stacks); pass --write-docs to rewrite docs/access.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MLOPSTF_ROOT"
[ -d tests/access/node_modules/@cloud-copilot/iam-simulate ] || die "the access simulation is not installed; run make setup"
export MLOPSTF_STACKS_DIR=${MLOPSTF_STACKS_DIR:-$MLOPSTF_ROOT/cdktf.out/stacks}
exec node tests/access/run.mjs --quiet "$@"
