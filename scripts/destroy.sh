#!/usr/bin/env bash
# make destroy ENV=<env> CONFIRM="destroy <env>" — destroys an environment stack (never a bootstrap stack).
# The typed confirmation must match exactly; protected resources (prevent_destroy in staging and prod) make
# Terraform refuse until the protection is lifted in the environment file (DeletionProtection = false).
# TF_BACKEND_CONFIG names an extra -backend-config file; LOCK_TIMEOUT (default 120s) is how long to wait for a lock.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/destroy.sh <env>}
[ "${CONFIRM:-}" = "destroy $env" ] || die "refusing to destroy $env: set CONFIRM=\"destroy $env\" (typed exactly)"
case "$env" in bootstrap-*) die "bootstrap stacks are not destroyed by this command; see bootstrap/README.md" ;; esac
dir=$(synthesized_stack "$env") || exit 1
use_tf_mirror
tf_init "$dir" >/dev/null
terraform -chdir="$dir" destroy -input=false -auto-approve -lock-timeout="${LOCK_TIMEOUT:-120s}"
