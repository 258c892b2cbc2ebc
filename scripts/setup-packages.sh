#!/usr/bin/env bash
# Makes HashiCorp.Cdktf, HashiCorp.Cdktf.Providers.Aws and Constructs restorable.
# 1. If the local feed already has them (a previous run or clone), nothing to do.
# 2. If a plain restore finds them (nuget.org reachable), nothing to build.
# 3. Otherwise generate the .NET bindings from the npm jsii assemblies with jsii-pacmak, keep of the provider only
#    the namespaces the repository's C# uses (scripts/provider-namespaces.sh; MLOPSTF_PROVIDER_NAMESPACES=all keeps
#    every one) and make the npm package it embeds load its submodules on first use (scripts/lazy-provider-index.mjs),
#    retarget net6.0 -> net10.0, build (which packs) and publish the packages into the feed. The provider package
#    keeps its id and version; the feed records its namespaces and how it was made, and a use of a namespace it lacks,
#    or a package made another way, rebuilds it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CDKTF_VERSION=0.21.0
CONSTRUCTS_VERSION=10.4.2
PROVIDER_AWS_VERSION=20.1.0
PACKAGES=("Constructs.$CONSTRUCTS_VERSION" "HashiCorp.Cdktf.$CDKTF_VERSION" "HashiCorp.Cdktf.Providers.Aws.$PROVIDER_AWS_VERSION")

PROVIDER_PACKAGE="HashiCorp.Cdktf.Providers.Aws.$PROVIDER_AWS_VERSION"
# The namespaces the provider package in the feed was built with; absent for a complete build.
NAMESPACES_FILE="$MLOPSTF_NUGET_FEED/$PROVIDER_PACKAGE.namespaces"
# How the feed's provider package was made; a package made another way (an earlier version of this script) is rebuilt.
RECIPE="lazy-index"
RECIPE_FILE="$MLOPSTF_NUGET_FEED/$PROVIDER_PACKAGE.recipe"
needed=$(bash "$(dirname "$0")/provider-namespaces.sh")

# The namespaces the code uses that the feed's provider package lacks (none when it was built complete).
missing_namespaces() {
  [ -f "$NAMESPACES_FILE" ] || return 0
  bash "$(dirname "$0")/provider-namespaces.sh" --missing "$NAMESPACES_FILE"
}

feed_complete() {
  local p
  for p in "${PACKAGES[@]}"; do [ -f "$MLOPSTF_NUGET_FEED/$p.nupkg" ] || return 1; done
  [ "$(cat "$RECIPE_FILE" 2>/dev/null)" = "$RECIPE" ] && [ -z "$(missing_namespaces)" ]
}

mkdir -p "$MLOPSTF_NUGET_FEED"
if feed_complete; then
  log "CDKTF .NET packages found in $MLOPSTF_NUGET_FEED"
  exit 0
fi
if [ -f "$MLOPSTF_NUGET_FEED/$PROVIDER_PACKAGE.nupkg" ] && [ "$(cat "$RECIPE_FILE" 2>/dev/null)" != "$RECIPE" ]; then
  log "the provider package in $MLOPSTF_NUGET_FEED was made by an earlier version of this script (recipe: $(cat "$RECIPE_FILE" 2>/dev/null || echo none), now $RECIPE); rebuilding it"
elif [ -f "$MLOPSTF_NUGET_FEED/$PROVIDER_PACKAGE.nupkg" ]; then
  log "the code uses provider namespaces the package in $MLOPSTF_NUGET_FEED was built without: $(missing_namespaces | paste -sd ' '); rebuilding it"
fi

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
cat >"$probe/probe.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Constructs" Version="[$CONSTRUCTS_VERSION]" />
    <PackageReference Include="HashiCorp.Cdktf" Version="[$CDKTF_VERSION]" />
    <PackageReference Include="HashiCorp.Cdktf.Providers.Aws" Version="[$PROVIDER_AWS_VERSION]" />
  </ItemGroup>
</Project>
XML
# The registries only: not the local feed, nor NuGet's global folder (either may hold an earlier build of ours).
grep -v 'key="mlopstf-local"' "$MLOPSTF_ROOT/NuGet.config" >"$probe/NuGet.config"
log "checking whether the NuGet registry serves the CDKTF packages"
if NUGET_PACKAGES="$probe/packages" dotnet restore "$probe/probe.csproj" --configfile "$probe/NuGet.config" >"$probe/restore.log" 2>&1; then
  log "plain restore found them; nothing to build"
  exit 0
fi
log "not served here ($(grep -oE 'NU110[12]: [^.]*' "$probe/restore.log" | head -1)); building them from the npm jsii assemblies"
log "this takes about 2 minutes once per machine (measured: npm ci 31 s, code generation 31 s, compile 50 s)"

command -v node >/dev/null || die "node is not installed; install Node.js 20-24 (the jsii toolchain needs it)"
command -v npm >/dev/null || die "npm is not installed"

work="$MLOPSTF_CACHE_DIR/build"
rm -rf "$work"
mkdir -p "$work"

if [ ! -x "$MLOPSTF_ROOT/node_modules/.bin/jsii-pacmak" ]; then
  log "step 1/4: npm ci (pinned cdktf, constructs, @cdktf/provider-aws, jsii-pacmak)"
  (cd "$MLOPSTF_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed; check that the npm registry is reachable"
else
  log "step 1/4: node_modules present"
fi

# A copy of the provider package (hard links where the filesystem allows) that the kernel loads lazily and whose
# jsii assembly holds only the namespaces the code uses; its JavaScript is the package's own.
copy="$work/npm/node_modules"
mkdir -p "$copy/@cdktf"
cp -al "$MLOPSTF_ROOT/node_modules/@cdktf/provider-aws" "$copy/@cdktf/provider-aws" 2>/dev/null ||
  cp -a "$MLOPSTF_ROOT/node_modules/@cdktf/provider-aws" "$copy/@cdktf/provider-aws"
ln -s "$MLOPSTF_ROOT/node_modules/cdktf" "$copy/cdktf"
ln -s "$MLOPSTF_ROOT/node_modules/constructs" "$copy/constructs"
provider="$copy/@cdktf/provider-aws"
submodules=$(node "$MLOPSTF_ROOT/scripts/lazy-provider-index.mjs" "$provider") ||
  die "could not point the provider package at its lazy index (see the error above)"
log "step 2/4: the package's main is its lazy index ($submodules submodules, each loaded on first use)"
if [ "${MLOPSTF_PROVIDER_NAMESPACES:-}" = all ]; then
  log "  every provider namespace (MLOPSTF_PROVIDER_NAMESPACES=all); jsii-pacmak --target dotnet --code-only"
else
  rm "$provider/.jsii"
  printf '%s\n' "$needed" >"$work/namespaces"
  kept=$(node "$MLOPSTF_ROOT/scripts/trim-jsii.mjs" "$MLOPSTF_ROOT/node_modules/@cdktf/provider-aws/.jsii" "$work/namespaces" "$provider/.jsii") ||
    die "could not keep the provider's namespaces the code uses (see the error above)"
  log "  the provider's namespaces the code uses ($kept); jsii-pacmak --target dotnet --code-only"
fi
start=$SECONDS
(cd "$MLOPSTF_ROOT" && node_modules/.bin/jsii-pacmak --target dotnet --code-only --outdir "$work/gen" \
  node_modules/constructs node_modules/cdktf "$provider") ||
  die "jsii-pacmak failed; see the output above"
log "  generated in $((SECONDS - start)) s"

log "step 3/4: retarget net6.0 -> net10.0 and build (packs on build)"
for proj in "$work"/gen/dotnet/*/*.csproj; do
  sed -i 's#<TargetFramework>net6.0</TargetFramework>#<TargetFramework>net10.0</TargetFramework>#' "$proj"
  grep -q '<TargetFramework>net10.0</TargetFramework>' "$proj" || die "could not retarget $proj to net10.0"
done
start=$SECONDS
dotnet build "$work/gen/dotnet/HashiCorp.Cdktf.Providers.Aws/HashiCorp.Cdktf.Providers.Aws.csproj" \
  -c Release -nologo -clp:NoSummary -v:minimal \
  -p:IncludeSymbols=false -p:IncludeSource=false -p:PackageOutputPath="$work/out" \
  -p:ImportDirectoryBuildProps=false -p:ImportDirectoryBuildTargets=false \
  >"$work/build.log" 2>&1 &
build_pid=$!
while kill -0 "$build_pid" 2>/dev/null; do
  sleep 1
  (( (SECONDS - start) % 30 == 0 )) && kill -0 "$build_pid" 2>/dev/null && log "  still compiling ($((SECONDS - start)) s; log: $work/build.log)"
done
wait "$build_pid" || { tail -30 "$work/build.log" >&2; die "building the generated bindings failed; full log: $work/build.log"; }
log "  built in $((SECONDS - start)) s"

log "step 4/4: publish into $MLOPSTF_NUGET_FEED"
for p in "${PACKAGES[@]}"; do
  [ -f "$work/out/$p.nupkg" ] || die "expected package $p.nupkg was not produced; see $work/build.log"
done
rm -f "$NAMESPACES_FILE" "$RECIPE_FILE"
for p in "${PACKAGES[@]}"; do
  # Copy then rename within the feed's filesystem so the feed never holds a partial file.
  cp "$work/out/$p.nupkg" "$MLOPSTF_NUGET_FEED/.$p.nupkg.partial"
  mv "$MLOPSTF_NUGET_FEED/.$p.nupkg.partial" "$MLOPSTF_NUGET_FEED/$p.nupkg"
  # Restore takes a package from NuGet's global folder when that version is there; drop the earlier build's copy.
  id_lower=$(tr '[:upper:]' '[:lower:]' <<<"${p%%.[0-9]*}")
  rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/$id_lower/${p#"${p%%.[0-9]*}."}"
done
[ "${MLOPSTF_PROVIDER_NAMESPACES:-}" = all ] || printf '%s\n' "$needed" >"$NAMESPACES_FILE"
printf '%s\n' "$RECIPE" >"$RECIPE_FILE"
rm -rf "$work"
log "CDKTF .NET packages ready"
