#!/usr/bin/env bash
# Runs the built app (what cdktf.json's "app" runs after make build): synthesizes into $CDKTF_OUTDIR.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ -f "$MLOPSTF_APP_DLL" ] || die "$MLOPSTF_APP_DLL is missing; run make build"
exec dotnet "$MLOPSTF_APP_DLL"
