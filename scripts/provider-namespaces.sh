#!/usr/bin/env bash
# Prints the namespaces of HashiCorp.Cdktf.Providers.Aws that the repository's C# uses (the app, its tests, its
# tools and the benchmark apps), one per line, sorted: every `HashiCorp.Cdktf.Providers.Aws.<Namespace>` in a .cs
# file or a project's <Using Include=...>. scripts/setup-packages.sh builds only these.
#   provider-namespaces.sh                      the namespaces
#   provider-namespaces.sh --where NAMESPACE    the files that name NAMESPACE
#   provider-namespaces.sh --missing FILE       the namespaces FILE (one per line, a build's record) lacks
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MLOPSTF_ROOT"
sources() {
  find Main.cs constructs environments bootstrap tests tools scripts \
    \( -name bin -o -name obj -o -name node_modules -o -name cdktf.out \) -prune -o \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -type f -print 2>/dev/null
  ls ./*.csproj ./*.props 2>/dev/null
}
if [ "${1:-}" = --where ]; then
  sources | xargs grep -lE "HashiCorp\.Cdktf\.Providers\.Aws\.$2\b" || true
  exit 0
fi
namespaces() {
  { echo Provider; sources | xargs grep -hoE 'HashiCorp\.Cdktf\.Providers\.Aws\.[A-Za-z0-9]+' | sed 's/^HashiCorp\.Cdktf\.Providers\.Aws\.//'; } | LC_ALL=C sort -u
}
if [ "${1:-}" = --missing ]; then
  [ -f "$2" ] || die "no namespaces file at $2"
  comm -23 <(namespaces) <(LC_ALL=C sort -u "$2")
  exit 0
fi
namespaces
