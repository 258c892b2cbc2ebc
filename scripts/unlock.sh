#!/usr/bin/env bash
# make unlock ENV=<env> LOCK_ID=<id> — releases the state lock a crashed run left behind (both the S3 lock file and
# the DynamoDB lock). Follow docs/runbooks/stale-lock.md: only once the holder named in the lock error is known to be
# dead, since unlocking under a live apply lets two runs write the state.
# TF_BACKEND_CONFIG names an extra -backend-config file.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
env=${1:?usage: scripts/unlock.sh <env>}
lock_id=${LOCK_ID:-}
[ -n "$lock_id" ] || die "LOCK_ID is required: copy it from the 'ID:' line under 'Error acquiring the state lock', e.g. make unlock ENV=$env LOCK_ID=<id> (docs/runbooks/stale-lock.md)"
[[ "$lock_id" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
  die "LOCK_ID='$lock_id' is not a lock ID; it is the UUID on the 'ID:' line of the lock error (e.g. 3f2a9c1e-5b7d-4e60-8a1f-0c9d2e4b6a71)"
dir=$(synthesized_stack "$env") || exit 1
use_tf_mirror
tf_init "$dir" >/dev/null
log "$env: releasing lock $lock_id"
terraform -chdir="$dir" force-unlock -force "$lock_id"
