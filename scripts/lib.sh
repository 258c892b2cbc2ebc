# Shared helpers for the MlopsTf scripts. Source it; do not run it.
# shellcheck shell=bash

# jsii prints an end-of-life banner for Node 20 on every run; the README states the supported versions.
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1
if command -v node >/dev/null 2>&1; then
  export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-$(node -p 'process.versions.node.split(".")[0]')}
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export CHECKPOINT_DISABLE=1

MLOPSTF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The built app (make build); the Makefile, the scripts, cdktf.json (through scripts/app.sh) and the test harnesses read it here.
export MLOPSTF_APP_DLL="$MLOPSTF_ROOT/bin/Release/net10.0/MlopsTf.dll"
# Where make synth writes the stacks (CDKTF_OUTDIR overrides).
MLOPSTF_OUT=${CDKTF_OUTDIR:-$MLOPSTF_ROOT/cdktf.out}
MLOPSTF_CACHE_DIR=${MLOPSTF_CACHE_DIR:-$HOME/.cache/mlopstf}
# Must match the local source in NuGet.config.
MLOPSTF_NUGET_FEED="$HOME/.cache/mlopstf/nuget-feed"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Prints the folder of a synthesized stack (cdk.tf.json, or cdk.tf from make hcl); dies, naming the stacks there,
# when make synth has not written it.
synthesized_stack() {
  local dir="$MLOPSTF_OUT/stacks/$1" there
  there=$(ls "$MLOPSTF_OUT/stacks" 2>/dev/null | paste -sd ' ')
  [ -f "$dir/cdk.tf.json" ] || [ -f "$dir/cdk.tf" ] || die "no synthesized stack at $dir; run make synth first (stacks there: ${there:-none})"
  printf '%s\n' "$dir"
}

# Finds the Terraform provider filesystem mirror that holds hashicorp/aws.
# TF_PLUGIN_MIRROR overrides the search.
find_tf_mirror() {
  if [ -n "${TF_PLUGIN_MIRROR:-}" ]; then
    [ -d "$TF_PLUGIN_MIRROR/registry.terraform.io/hashicorp/aws" ] ||
      die "TF_PLUGIN_MIRROR=$TF_PLUGIN_MIRROR has no registry.terraform.io/hashicorp/aws; point it at a filesystem mirror (the folder that contains registry.terraform.io)"
    printf '%s\n' "$TF_PLUGIN_MIRROR"; return
  fi
  local c
  for c in /opt/tf-plugins "$HOME/.terraform.d/plugins" /usr/share/terraform/plugins /usr/local/share/terraform/plugins; do
    if [ -d "$c/registry.terraform.io/hashicorp/aws" ]; then printf '%s\n' "$c"; return; fi
  done
  return 1
}

# Exports TF_CLI_CONFIG_FILE pointing at a CLI config that installs providers from the mirror only (linked, not
# copied). Without a mirror, terraform's own configuration is left alone. MLOPSTF_TF_CLI_CONFIG tells the test
# harnesses what was decided here (the config, or empty for none), so that they never search on their own.
use_tf_mirror() {
  local mirror
  mirror=$(find_tf_mirror) || { log "no provider mirror found; terraform will use its own configuration"; export MLOPSTF_TF_CLI_CONFIG=; return 0; }
  mkdir -p "$MLOPSTF_CACHE_DIR"
  local rc="$MLOPSTF_CACHE_DIR/terraformrc"
  cat >"$rc.$$.tmp" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
RC
  mv "$rc.$$.tmp" "$rc"
  export TF_CLI_CONFIG_FILE="$rc" MLOPSTF_TF_CLI_CONFIG="$rc" TF_IN_AUTOMATION=1 TF_INPUT=0
}

# terraform init of a synthesized stack; TF_BACKEND_CONFIG, when set, names an extra -backend-config file (the local
# AWS stand-in's endpoints, for example).
tf_init() {
  local dir=$1; shift
  local backend=()
  [ -z "${TF_BACKEND_CONFIG:-}" ] || backend=("-backend-config=$TF_BACKEND_CONFIG")
  terraform -chdir="$dir" init -input=false "${backend[@]}" "$@"
}

# Writes, removes or locates the Terraform override files beside a synthesized stack (scripts/overrides.py, their one
# writer): overrides write|remove|path STACK_DIR KIND ...
overrides() { python3 "$MLOPSTF_ROOT/scripts/overrides.py" "$@"; }

# Runs tools/PlanGuard with the given arguments, building it first when it is missing or older than its sources.
plan_guard() {
  local tool="$MLOPSTF_ROOT/tools/PlanGuard"
  local dll="$tool/bin/Release/net10.0/PlanGuard.dll"
  if [ ! -f "$dll" ] || [ -n "$(find "$tool" -maxdepth 1 \( -name '*.cs' -o -name '*.csproj' \) -newer "$dll" -print -quit)" ]; then
    dotnet build "$tool/PlanGuard.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null || die "could not build tools/PlanGuard"
  fi
  dotnet "$dll" "$@"
}
