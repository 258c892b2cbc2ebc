#!/usr/bin/env bash
# rollback.yml / promote.yml, after make rollback|promote: commits environments/releases.json (the only file the
# release may change) on a new branch and opens a pull request whose body is what moved and the environment's plan.
# Merging it deploys through deploy.yml like any change; nothing here applies.
# usage: scripts/release_pr.sh <rollback|promote> <env>   (needs GH_TOKEN; RUN_ID names the branch)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kind=${1:?usage: scripts/release_pr.sh <rollback|promote> <env>}
env=${2:?usage: scripts/release_pr.sh <rollback|promote> <env>}
cd "$MLOPSTF_ROOT"
moved="$MLOPSTF_OUT/release.txt"
plan="$MLOPSTF_OUT/plans/$env.md"
[ -s "$moved" ] || die "$moved is missing: run make $kind first"
[ -s "$plan" ] || die "$plan is missing: the plan of $env did not run"
others=$(git status --porcelain --untracked-files=no | grep -v ' environments/releases.json$' || true)
[ -z "$others" ] || die "a release changes environments/releases.json only; also changed: $others"
! git diff --quiet -- environments/releases.json || die "environments/releases.json is unchanged: nothing to propose"
branch="release/$kind-$env-${RUN_ID:-$(date +%s)}"
title="$kind $env: $(grep -E "^$kind: " "$moved" | sed "s/^$kind: //" | paste -sd ';' | sed 's/;/; /g')"
body=$(mktemp)
{
  echo "Proposed by the $kind workflow: merge to deploy it through deploy.yml (dev, staging, prod in order; only $env changes)."
  echo
  echo '```'
  cat "$moved"
  echo '```'
  echo
  cat "$plan"
} >"$body"
git switch -c "$branch"
git add environments/releases.json
git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" commit -q -m "$title"
git push -q origin "$branch"
gh pr create --base main --head "$branch" --title "$title" --body-file "$body"
rm -f "$body"
