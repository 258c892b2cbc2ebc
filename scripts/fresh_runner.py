#!/usr/bin/env python3
"""make fresh-runner — a workflow job's shell steps as a fresh GitHub runner would run them.

The committed HEAD is cloned into a new folder with a new HOME, and the job's steps run in order: its `run:` steps
and the `run:` steps of the setup action (.github/actions/setup, with the job's inputs), with their `env:`. The other
actions are stood in for: actions/checkout by the clone; setup-dotnet, setup-node and setup-terraform by a bin folder
holding only those tools (dotnet, node, npm, npx, terraform), put before /usr/bin:/bin (the runner image's own tools)
and instead of everything else on this machine's PATH (/usr/local/bin, pyenv, cargo); actions/cache by a copy of the
two folders it restores (~/.nuget/packages, ~/.cache/mlopstf/nuget-feed), or nothing with --cold (a cache miss).
python3 and pip are this machine's (the runner image has its own). A step that needs an install the workflow does
not make fails here as it would on a runner.

--set KEY=VALUE narrows a step's command through the knobs the scripts already read (E2E, VERIFY, TEST_FILTER,
PYTHON_SUITES) so that `make test` inside it need not run the whole suite again; FRESH_RUNNER=0 is always set, so
a `make test` inside does not start another fresh runner. Each run step counts as one test in the last line,
"fresh-runner: N passed, N failed". Exit status: the first failing
step's, or 0. Steps that need AWS credentials (plan, apply) cannot run here; pick a job that does not.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SETUP = "./.github/actions/setup"
ACTION_TOOLS = {"actions/setup-dotnet": ["dotnet"], "actions/setup-node": ["node", "npm", "npx"],
                "hashicorp/setup-terraform": ["terraform"]}
RUNNER_PYTHON = ["python3", "pip", "pip3"]
STOOD_IN = {*ACTION_TOOLS, "actions/checkout", "actions/cache"}
CACHED = [".nuget/packages", ".cache/mlopstf/nuget-feed"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path):
    with open(path) as f:
        return {("on" if k is True else k): v for k, v in yaml.safe_load(f).items()}


def evaluate(condition, inputs):
    """The only conditions the setup action uses: inputs.<name> == '<value>'."""
    m = re.fullmatch(r"inputs\.([\w-]+)\s*==\s*'([^']*)'", condition.strip())
    if not m:
        raise SystemExit(f"fresh-runner: cannot evaluate the condition {condition!r}; extend evaluate() for it")
    return inputs.get(m.group(1)) == m.group(2)


def expand(job_file, job_name):
    """The job's steps as (label, kind, payload): kind is run (a shell command with env) or stand-in (an action)."""
    job = load(os.path.join(ROOT, ".github", "workflows", job_file))["jobs"].get(job_name)
    if job is None:
        raise SystemExit(f"fresh-runner: {job_file} has no job {job_name!r}")
    for step in job.get("steps", []):
        uses = step.get("uses", "")
        if uses == SETUP:
            action = load(os.path.join(ROOT, SETUP, "action.yml"))
            inputs = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
            inputs.update({k: str(v) for k, v in (step.get("with") or {}).items()})
            for inner in action["runs"]["steps"]:
                if "if" in inner and not evaluate(inner["if"], inputs):
                    continue
                if "run" in inner:
                    yield f"setup: {inner['run'].strip()}", "run", (inner["run"], inner.get("env") or {})
                elif inner["uses"].split("@")[0] in STOOD_IN:
                    yield f"setup: {inner['uses']}", "stand-in", inner["uses"]
                else:
                    raise SystemExit(f"fresh-runner: the setup action uses {inner['uses']}, which has no stand-in here; add its tools to ACTION_TOOLS")
        elif "run" in step:
            yield step.get("name") or step["run"].strip().splitlines()[0], "run", (step["run"], step.get("env") or {})
        else:
            yield uses, "stand-in", uses


def tool_bin(folder):
    os.makedirs(folder)
    wanted = [t for tools in ACTION_TOOLS.values() for t in tools] + RUNNER_PYTHON
    for tool in wanted:
        found = shutil.which(tool)
        if found is None:
            raise SystemExit(f"fresh-runner: {tool} is not on this machine's PATH; the stand-in for its action needs it")
        os.symlink(os.path.realpath(found) if tool not in RUNNER_PYTHON else found, os.path.join(folder, tool))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--job", default="pr.yml:test", help="<workflow file>:<job id> (default pr.yml:test)")
    parser.add_argument("--cold", action="store_true", help="no cache restore: the provider package is built anew")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="extra environment for run steps")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    job_file, _, job_name = args.job.partition(":")
    extra = dict(s.split("=", 1) for s in args.set)
    steps = list(expand(job_file, job_name))

    work = tempfile.mkdtemp(prefix="mlopstf-fresh-runner.")
    home, clone, bin_dir = (os.path.join(work, p) for p in ("home", "clone", "bin"))
    os.makedirs(home)
    status, passed, failed = 0, 0, 0
    try:
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", ROOT, clone], check=True)
        head = subprocess.run(["git", "-C", clone, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        print(f"fresh-runner: {args.job} on a clean clone of {head} (committed work only), HOME={home}", flush=True)
        tool_bin(bin_dir)
        env = {"FRESH_RUNNER": "0", "HOME": home, "PATH": f"{bin_dir}:/usr/bin:/bin", "CI": "true", "GITHUB_ACTIONS": "true",
               "LANG": os.environ.get("LANG", "C.UTF-8"), "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
               "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_NOLOGO": "1"}
        for label, kind, payload in steps:
            start = time.monotonic()
            if kind == "stand-in":
                name = payload.split("@")[0]
                if name == "actions/cache" and not args.cold:
                    for rel in CACHED:
                        source = os.path.join(os.path.expanduser("~"), rel)
                        if os.path.isdir(source):
                            shutil.copytree(source, os.path.join(home, rel), symlinks=True)
                what = {"actions/checkout": "the clone", "actions/cache": "no restore (--cold)" if args.cold else "restored " + ", ".join(CACHED)}
                print(f"fresh-runner: {label}: stood in for by {what.get(name, 'the tools in ' + bin_dir if name in ACTION_TOOLS else 'nothing (not needed by shell steps)')}", flush=True)
                continue
            command, step_env = payload
            unresolved = [v for v in step_env.values() if EXPRESSION.search(str(v))]
            if unresolved:
                print(f"fresh-runner: {label}: skipped, its env needs GitHub's context ({unresolved[0]})", flush=True)
                continue
            print(f"fresh-runner: {label}", flush=True)
            result = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=clone,
                                    env={**env, **{k: str(v) for k, v in step_env.items()}, **extra})
            print(f"fresh-runner: {label}: exit {result.returncode} in {time.monotonic() - start:.0f} s", flush=True)
            if result.returncode != 0:
                status, failed = result.returncode, failed + 1
                break
            passed += 1
    finally:
        if args.keep:
            print(f"fresh-runner: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"fresh-runner: {passed} passed, {failed} failed")
    return status


if __name__ == "__main__":
    sys.exit(main())
