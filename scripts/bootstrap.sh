#!/usr/bin/env bash
# The one-time bootstrap of an environment's account, run by a person with administrator credentials (never by CI).
#
#   scripts/bootstrap.sh <env> apply     first apply, with local state in terraform.bootstrap-<env>.tfstate
#   scripts/bootstrap.sh <env> migrate   move that state into the bucket the apply created; verify a clean plan
#   scripts/bootstrap.sh <env> plan      plan against the migrated state
#
# Run `make synth` first. TF_BACKEND_CONFIG names an extra -backend-config file (the local AWS stand-in uses it);
# BOOTSTRAP_AUTO_APPROVE=1 skips the apply prompt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: scripts/bootstrap.sh <env> <apply|migrate|plan>"
env=$1; cmd=$2
out=${CDKTF_OUTDIR:-$MLOPSTF_ROOT/cdktf.out}
dir="$out/stacks/bootstrap-$env"
[ -f "$dir/cdk.tf.json" ] || die "no synthesized stack at $dir; run make synth first (environment '$env' must exist in environments/)"
local_state="${BOOTSTRAP_LOCAL_STATE:-$MLOPSTF_ROOT/terraform.bootstrap-$env.tfstate}"
override="$dir/bootstrap_local_override.tf.json"
backend_args=()
[ -z "${TF_BACKEND_CONFIG:-}" ] || backend_args=("-backend-config=$TF_BACKEND_CONFIG")
use_tf_mirror
tf() { terraform -chdir="$dir" "$@"; }

use_local_state() {
  printf '{"terraform": {"backend": {"local": {"path": "%s"}}}}\n' "$local_state" >"$override"
  tf init -reconfigure -input=false >/dev/null
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
    rm -f "$override"
    tf init -migrate-state -force-copy -input=false "${backend_args[@]}"
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
    rm -f "$override"
    tf init -input=false "${backend_args[@]}" >/dev/null
    tf plan -input=false
    ;;
  *) die "unknown command '$cmd'; use apply, migrate or plan" ;;
esac
