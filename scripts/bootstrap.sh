#!/usr/bin/env bash
# The one-time bootstrap of an environment's account, run by a person with administrator credentials (never by CI).
#
#   scripts/bootstrap.sh <env> apply     first apply, with local state in terraform.bootstrap-<env>.tfstate
#   scripts/bootstrap.sh <env> migrate   move that state into the bucket the apply created; verify a clean plan
#   scripts/bootstrap.sh <env> plan      plan against the migrated state
#   scripts/bootstrap.sh <env> destroy   tear the account's bootstrap down (CONFIRM="destroy bootstrap-<env>"), only
#                                        once no environment state in the bucket still holds resources
#
# Run `make synth` first. TF_BACKEND_CONFIG names an extra -backend-config file (the local AWS stand-in uses it);
# BOOTSTRAP_AUTO_APPROVE=1 skips the apply prompt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: scripts/bootstrap.sh <env> <apply|migrate|plan|destroy>"
env=$1; cmd=$2
dir=$(synthesized_stack "bootstrap-$env") || exit 1
local_state="${BOOTSTRAP_LOCAL_STATE:-$MLOPSTF_ROOT/terraform.bootstrap-$env.tfstate}"
use_tf_mirror
tf() { terraform -chdir="$dir" "$@"; }

# Switches the backend to the local state file; init flags default to -reconfigure (-migrate-state -force-copy moves
# the state there).
use_local_state() {
  overrides write "$dir" local_state "$local_state"
  tf init -input=false "${@:--reconfigure}" >/dev/null
}

case "$cmd" in
  apply)
    log "bootstrap-$env: applying with local state $local_state"
    use_local_state
    if [ "${BOOTSTRAP_AUTO_APPROVE:-}" = 1 ]; then tf apply -input=false -auto-approve; else tf apply; fi
    log "bootstrap-$env applied; next: scripts/bootstrap.sh $env migrate"
    ;;
  migrate)
    [ -f "$local_state" ] || die "no local state at $local_state; run 'scripts/bootstrap.sh $env apply' first (or the state was already migrated)"
    log "bootstrap-$env: moving $local_state into the state bucket"
    use_local_state
    overrides remove "$dir" local_state
    tf_init "$dir" -migrate-state -force-copy
    set +e
    tf plan -input=false -detailed-exitcode -lock-timeout=60s >"$dir/migrate-plan.log" 2>&1
    plan_status=$?
    set -e
    case "$plan_status" in
      0) ;;
      2) die "state migrated, but a plan shows changes; review: terraform -chdir=$dir plan (log: $dir/migrate-plan.log)" ;;
      *) cat "$dir/migrate-plan.log" >&2; die "state migrated, but planning against it failed" ;;
    esac
    backup="$local_state.migrated-$(date +%Y%m%d%H%M%S)"
    mv "$local_state" "$backup"
    log "bootstrap-$env: state is in s3 and the plan is clean; the local copy is kept as $backup"
    ;;
  plan)
    overrides remove "$dir" local_state
    tf_init "$dir" >/dev/null
    tf plan -input=false
    ;;
  destroy)
    [ "${CONFIRM:-}" = "destroy bootstrap-$env" ] || die "refusing to destroy bootstrap-$env: set CONFIRM=\"destroy bootstrap-$env\" (typed exactly)"
    [ ! -e "$local_state" ] || die "$local_state exists: an earlier apply was not migrated, or a teardown stopped halfway; if the bucket still exists, move the file away and run again, otherwise finish with: terraform -chdir=$dir destroy (after make synth, with the local backend override of bootstrap/README.md)"
    bucket=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["terraform"]["backend"]["s3"]["bucket"])' "$dir/cdk.tf.json")
    overrides remove "$dir" local_state
    tf_init "$dir" -reconfigure >/dev/null
    log "bootstrap-$env: checking that no environment state in s3://$bucket still holds resources"
    python3 "$MLOPSTF_ROOT/scripts/state_bucket.py" refuse-live-states "$bucket" bootstrap/terraform.tfstate
    log "bootstrap-$env: moving the state out of the bucket it is about to destroy, into $local_state"
    use_local_state -migrate-state -force-copy
    # prevent_destroy and the lock table's deletion protection, lifted by an override beside the synthesized JSON;
    # force_destroy lets Terraform empty the access-log bucket.
    overrides write "$dir" teardown
    tf apply -input=false -auto-approve
    # The state is local now. The state bucket holds every state version and lock-file delete marker; emptying it
    # here (versions, then delete markers) rather than by force_destroy is also what the local AWS stand-in needs.
    python3 "$MLOPSTF_ROOT/scripts/state_bucket.py" empty "$bucket"
    tf destroy -input=false -auto-approve
    overrides remove "$dir" local_state teardown
    mv "$local_state" "$local_state.destroyed-$(date +%Y%m%d%H%M%S)"
    log "bootstrap-$env destroyed (KMS keys are scheduled for deletion, as AWS requires)"
    ;;
  *) die "unknown command '$cmd'; use apply, migrate, plan or destroy" ;;
esac
