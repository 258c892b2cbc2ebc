#!/usr/bin/env bash
# make rollback / make promote: validates the change and rewrites environments/releases.json (nothing else), leaving
# what moved in $CDKTF_OUTDIR/release.txt for the pull request; the Makefile then plans the environment.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ -f "$MLOPSTF_APP_DLL" ] || die "$MLOPSTF_APP_DLL is missing; run make build"
mkdir -p "$MLOPSTF_OUT"
cd "$MLOPSTF_ROOT"
dotnet "$MLOPSTF_APP_DLL" release "$@" | tee "$MLOPSTF_OUT/release.txt"
