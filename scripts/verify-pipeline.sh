#!/usr/bin/env bash
# Runs the synthesized training pipeline of every environment stack in a local Step Functions interpreter
# (tests/pipeline): the real Lambda handlers, API-shaped stand-ins for Glue, SageMaker and SNS, broken definitions
# that the scenarios must catch, and the drift alarm -> EventBridge -> pipeline path.
# Stacks come from MLOPSTF_STACKS_DIR (default cdktf.out/stacks; run `make synth` first).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MLOPSTF_ROOT"
stacks=${MLOPSTF_STACKS_DIR:-cdktf.out/stacks}
[ -d "$stacks" ] || die "$stacks does not exist; run make synth first or set MLOPSTF_STACKS_DIR"
command -v python3 >/dev/null || die "python3 with boto3 and moto is needed for the Lambda handlers and the AWS stand-in"
python3 -c 'import boto3, moto' 2>/dev/null || die "python3 cannot import boto3 and moto (moto 5.2.1 is tested)"

tool=tests/pipeline
[ -d "$tool/node_modules/aws-local-stepfunctions" ] || die "the local Step Functions interpreter is not installed; run make setup"
exec node "$tool/run.mjs" "$stacks"
