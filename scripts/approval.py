#!/usr/bin/env python3
"""Carries the approval of destructive changes from a reviewed pull request to the deploy of its merge.

The pull request's plan jobs write one verdict per environment (cdktf.out/plans/<env>.verdict.json, by PlanGuard).
When the pull request carries the label `approve-destructive`, the PR workflow's comment job records in its plan
comment exactly the destructive changes of each verdict, with the head commit they were planned from:

    approval.py marker --verdicts DIR --head-sha SHA --out FILE

writes that part of the comment: a visible list and a hidden marker `<!-- mlopstf-destructive-approval:v1 BASE64 -->`
(base64 of {"version": 1, "head_sha": ..., "environments": {"dev": [{"address", "action"}]}}).

The deploy of main finds the pull request merged as the commit it deploys and writes the approvals file that
`make plan` hands to PlanGuard (APPROVED_DESTRUCTIVE_FILE); the workflow only fetches the JSON with `gh api`:

    approval.py pull-request --pulls PULLS.json --sha SHA          # prints the merged pull request's number, or nothing
    approval.py extract --pulls PULLS.json --comments COMMENTS.json --sha SHA --environment ENV --out FILE

PULLS.json is `gh api repos/OWNER/REPO/commits/SHA/pulls`, COMMENTS.json `gh api --paginate
repos/OWNER/REPO/issues/N/comments` (pages as one array, concatenated arrays, or --slurp's array of arrays).
A change is approved only if the pull request merged into main as SHA, still has the label, and a marker that the
workflow's own bot wrote for the pull request's final head commit lists it for ENV. Anything else approves nothing;
the file is written either way, and PlanGuard then refuses every destructive change that it does not list.
Exit codes: 0 (also when nothing is approved), 2 usage or unreadable input.
"""
import argparse
import base64
import binascii
import glob
import json
import os
import re
import sys

LABEL = "approve-destructive"
BOT = "github-actions[bot]"
BASE = "main"
MARKER = re.compile(r"<!-- mlopstf-destructive-approval:v1 ([A-Za-z0-9+/=]+) -->")
SHA = re.compile(r"^[0-9a-f]{40}$")
ACTIONS = ("replace", "delete")


class InputError(Exception):
    """Input the workflow handed over is not what `gh api` returns."""


def read_json_stream(path):
    """The JSON values in a file (gh api --paginate concatenates pages), arrays flattened one level at a time."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}") from e
    decoder = json.JSONDecoder()
    values, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        try:
            value, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError as e:
            raise InputError(f"{path} is not the JSON gh api returns ({e.msg} at character {e.pos})") from e
        values.append(value)
    items = []
    for value in values:
        stack = [value]
        while stack:
            v = stack.pop(0)
            if isinstance(v, list):
                stack[:0] = v
            else:
                items.append(v)
    return items


def merged_pull_request(pulls, sha, base=BASE):
    """The pull request that was merged into `base` as commit `sha`, or (None, reason)."""
    candidates = [p for p in pulls if isinstance(p, dict) and p.get("merged_at") and p.get("merge_commit_sha") == sha
                  and (p.get("base") or {}).get("ref") == base]
    if not candidates:
        return None, f"no pull request was merged into {base} as {sha} (a direct push, or not merged yet)"
    if len(candidates) > 1:
        numbers = ", ".join(f"#{p.get('number')}" for p in candidates)
        return None, f"several pull requests claim to be merged as {sha} ({numbers}); refusing to choose"
    return candidates[0], None


def parse_marker(body):
    """The approvals recorded in one comment body, or (None, reason)."""
    match = MARKER.search(body or "")
    if not match:
        return None, "no approval marker"
    try:
        payload = json.loads(base64.b64decode(match.group(1), validate=True).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, f"the approval marker does not decode ({e})"
    if not isinstance(payload, dict) or payload.get("version") != 1:
        return None, "the approval marker is not version 1"
    if not isinstance(payload.get("head_sha"), str) or not SHA.match(payload["head_sha"]):
        return None, "the approval marker names no head commit"
    environments = payload.get("environments")
    if not isinstance(environments, dict):
        return None, "the approval marker has no environments"
    for env, changes in environments.items():
        if not isinstance(changes, list) or not all(
                isinstance(c, dict) and isinstance(c.get("address"), str) and c["address"]
                and c.get("action") in ACTIONS for c in changes):
            return None, f"the approval marker's entry for {env} is not a list of {{address, action}}"
    return payload, None


def approvals(pull, comments, environment, label=LABEL, bot=BOT):
    """(changes approved for `environment`, where they come from, or the reason there are none)."""
    labels = [l.get("name") for l in pull.get("labels") or [] if isinstance(l, dict)]
    if label not in labels:
        return [], f"pull request #{pull.get('number')} does not carry the label {label}"
    head = (pull.get("head") or {}).get("sha")
    found, reasons = [], []
    for c in comments:
        if not isinstance(c, dict):
            continue
        user = c.get("user") or {}
        payload, reason = parse_marker(c.get("body"))
        if payload is None:
            continue
        if user.get("login") != bot or user.get("type") != "Bot":
            reasons.append(f"comment {c.get('id')} has a marker but was written by {user.get('login')}, not {bot}")
            continue
        if payload["head_sha"] != head:
            reasons.append(f"comment {c.get('id')} records the plan of {payload['head_sha'][:12]}, not of the merged head {str(head)[:12]}")
            continue
        found.append((c.get("updated_at") or c.get("created_at") or "", c, payload))
    if not found:
        why = "; ".join(reasons) or f"no comment of {bot} records an approval"
        return [], f"pull request #{pull.get('number')}: {why}"
    _, comment, payload = max(found, key=lambda f: f[0])
    changes = [{"address": c["address"], "action": c["action"]} for c in payload["environments"].get(environment, [])]
    return changes, f"pull request #{pull.get('number')}, comment {comment.get('id')}, head {head[:12]}"


def approvals_file(environment, changes, source):
    """The file PlanGuard reads with --approved."""
    return {"version": 1, "environments": {environment: changes}, "source": source}


def marker(verdicts_dir, head_sha):
    """The comment part that records each verdict's destructive changes (visible list and hidden marker)."""
    if not SHA.match(head_sha or ""):
        raise InputError(f"--head-sha '{head_sha}' is not a 40-character commit id; pass github.event.pull_request.head.sha")
    environments = {}
    for path in sorted(glob.glob(os.path.join(verdicts_dir, "*.verdict.json"))):
        try:
            with open(path, encoding="utf-8") as f:
                verdict = json.load(f)
            stack = verdict["stack"]
            environments[stack] = [{"address": c["address"], "action": c["action"]} for c in verdict["destructive"]]
        except (OSError, KeyError, TypeError, json.JSONDecodeError) as e:
            raise InputError(f"{path} is not a PlanGuard verdict ({e})") from e
    payload = {"version": 1, "head_sha": head_sha, "environments": environments}
    encoded = base64.b64encode(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")).decode("ascii")
    lines = [f"### Destructive changes approved by `{LABEL}` (planned from {head_sha[:12]})", ""]
    for env, changes in environments.items():
        listed = ", ".join(f"`{c['address']}` ({c['action']})" for c in changes) or "none"
        lines.append(f"- {env}: {listed}")
    if not environments:
        lines.append("- no plan verdict was produced, so nothing is approved")
    lines += ["", "The deploy of the merge applies these and refuses any other destructive change.", "",
              f"<!-- mlopstf-destructive-approval:v1 {encoded} -->", ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("marker", help="write the comment part that records the approved destructive changes")
    m.add_argument("--verdicts", required=True, help="folder with <env>.verdict.json files")
    m.add_argument("--head-sha", required=True)
    m.add_argument("--out", required=True)
    p = sub.add_parser("pull-request", help="print the number of the pull request merged as --sha")
    p.add_argument("--pulls", required=True)
    p.add_argument("--sha", required=True)
    e = sub.add_parser("extract", help="write the approvals file for one environment")
    e.add_argument("--pulls", required=True)
    e.add_argument("--comments", required=True)
    e.add_argument("--sha", required=True)
    e.add_argument("--environment", required=True)
    e.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "marker":
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(marker(args.verdicts, args.head_sha))
            return 0
        pull, reason = merged_pull_request(read_json_stream(args.pulls), args.sha)
        if args.command == "pull-request":
            if pull is not None:
                print(pull.get("number"))
            else:
                print(f"approval: {reason}", file=sys.stderr)
            return 0
        if pull is None:
            changes, source = [], reason
        else:
            changes, source = approvals(pull, read_json_stream(args.comments), args.environment)
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(approvals_file(args.environment, changes, source), f, indent=2)
            f.write("\n")
        listed = ", ".join(f"{c['address']} ({c['action']})" for c in changes) or "none"
        print(f"approval: destructive changes approved for {args.environment}: {listed} [{source}]")
        return 0
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
