"""Checks the users' GitHub Actions workflows and their setup action (.github/actions/setup): least permissions,
pinned actions and tool versions, one setup action for every job that runs make, concurrency for applies, no inputs
interpolated into shell, every make target they call exists in the Makefile, the triggers and GitHub
environments the CI roles' trust relies on (bootstrap/GitHubActionsOidc.cs), and the approval path of destructive
changes from the pull request to the deploy."""
import glob
import json
import os
import re
import unittest

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORKFLOWS = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))
ALLOWED_PERMISSIONS = {("id-token", "write"), ("contents", "read"), ("pull-requests", "write"), ("pull-requests", "read"),
                       ("issues", "write"), ("contents", "write")}
# The workflows that push a branch (contents: write) and open a pull request: they propose, never apply.
RELEASE_WORKFLOWS = {"rollback.yml", "promote.yml"}
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@([0-9a-f]{40}|v\d+\.\d+\.\d+)$")
EXACT = re.compile(r"^\d+\.\d+\.\d+$")
SETUP = "./.github/actions/setup"
SETUP_ACTION = os.path.join(ROOT, ".github", "actions", "setup", "action.yml")
TOOL_ACTIONS = ("actions/setup-dotnet@", "actions/setup-node@", "hashicorp/setup-terraform@", "actions/cache@")


def load(path):
    with open(path) as f:
        # PyYAML reads the key `on` as the boolean True.
        return {("on" if k is True else k): v for k, v in yaml.safe_load(f).items()}


def steps(workflow):
    for job in workflow.get("jobs", {}).values():
        for step in job.get("steps", []) or []:
            yield job, step


def action_steps():
    with open(SETUP_ACTION) as f:
        return yaml.safe_load(f)["runs"]["steps"]


def action_step(uses_prefix):
    return next(s for s in action_steps() if s.get("uses", "").startswith(uses_prefix))


def runs_make(job):
    return any(re.search(r"\bmake [a-z]", step.get("run", "")) for step in job.get("steps", []) or [])


def workflow(name):
    return load(os.path.join(ROOT, ".github", "workflows", name))


def makefile_targets():
    with open(os.path.join(ROOT, "Makefile")) as f:
        return set(re.findall(r"^([a-z][a-z-]*):", f.read(), re.M))


class Workflows(unittest.TestCase):
    def test_the_four_workflows_exist(self):
        names = {os.path.basename(p) for p in WORKFLOWS}
        self.assertTrue({"pr.yml", "deploy.yml", "drift.yml", "destroy.yml"} <= names, names)

    def test_permissions_are_minimal_and_include_oidc(self):
        for path in WORKFLOWS:
            with self.subTest(workflow=os.path.basename(path)):
                permissions = load(path).get("permissions")
                self.assertIsInstance(permissions, dict, "permissions must be listed explicitly")
                self.assertEqual("write", permissions.get("id-token"))
                self.assertLessEqual(set(permissions.items()), ALLOWED_PERMISSIONS)
                self.assertEqual(os.path.basename(path) in RELEASE_WORKFLOWS, permissions.get("contents") == "write",
                                 "only the release workflows push a branch")
                for job in load(path)["jobs"].values():
                    self.assertLessEqual(set((job.get("permissions") or {}).items()), ALLOWED_PERMISSIONS)

    def test_actions_are_pinned_to_a_commit_or_exact_version(self):
        for path in WORKFLOWS:
            for job, step in steps(load(path)):
                uses = step.get("uses")
                if uses and not uses.startswith("./"):
                    with self.subTest(workflow=os.path.basename(path), uses=uses):
                        self.assertRegex(uses, PINNED)
            for job in load(path)["jobs"].values():
                if "uses" in job:
                    self.assertTrue(job["uses"].startswith("./.github/workflows/"), job["uses"])
        for step in action_steps():
            if "uses" in step:
                with self.subTest(action=SETUP, uses=step["uses"]):
                    self.assertRegex(step["uses"], PINNED)

    def test_the_setup_action_pins_every_tool_version(self):
        with open(os.path.join(ROOT, "global.json")) as f:
            self.assertEqual(json.load(f)["sdk"]["version"], action_step("actions/setup-dotnet@")["with"]["dotnet-version"],
                             "the .NET SDK of the setup action and of global.json")
        self.assertRegex(action_step("actions/setup-dotnet@")["with"]["dotnet-version"], EXACT)
        self.assertRegex(action_step("actions/setup-node@")["with"]["node-version"], EXACT)
        self.assertRegex(action_step("hashicorp/setup-terraform@")["with"]["terraform_version"], EXACT)
        self.assertIs(False, action_step("hashicorp/setup-terraform@")["with"]["terraform_wrapper"])
        pip = next(s["run"] for s in action_steps() if "pip install" in s.get("run", ""))
        packages = [a.strip('"') for a in pip.split()[2:] if not a.startswith("-")]
        self.assertEqual(["boto3", "moto[server]"], [p.split("==")[0] for p in packages])
        for package in packages:
            self.assertRegex(package.split("==", 1)[-1], EXACT, f"{package} in the setup action is not pinned")

    def test_the_setup_action_is_composite_with_bash_steps(self):
        with open(SETUP_ACTION) as f:
            action = yaml.safe_load(f)
        self.assertEqual("composite", action["runs"]["using"])
        for step in action["runs"]["steps"]:
            if "run" in step:
                self.assertEqual("bash", step.get("shell"), step["run"])
        self.assertEqual({"local-aws"}, set(action.get("inputs", {})))

    def test_every_job_that_runs_make_sets_up_through_the_action_first(self):
        for path in WORKFLOWS:
            for name, job in load(path)["jobs"].items():
                job_steps = job.get("steps", []) or []
                with self.subTest(workflow=os.path.basename(path), job=name):
                    direct = [s["uses"] for s in job_steps if s.get("uses", "").startswith(TOOL_ACTIONS)]
                    self.assertEqual([], direct, f"set up tools through {SETUP}, not in the workflow")
                    if not runs_make(job):
                        continue
                    uses = [s.get("uses", "") for s in job_steps]
                    self.assertIn(SETUP, uses, f"the job runs make without {SETUP}")
                    first_make = next(i for i, s in enumerate(job_steps) if re.search(r"\bmake [a-z]", s.get("run", "")))
                    self.assertLess(uses.index(SETUP), first_make)
                    tests = any("make test" in s.get("run", "") for s in job_steps)
                    local_aws = (job_steps[uses.index(SETUP)].get("with") or {}).get("local-aws", "false")
                    self.assertEqual("true" if tests else "false", local_aws, "make test needs the local AWS stand-in's packages")

    def test_every_workflow_sets_up_through_the_action_directly_or_in_the_workflow_it_calls(self):
        def sets_up(path):
            jobs = load(path)["jobs"].values()
            return any(SETUP in [s.get("uses") for s in job.get("steps", []) or []] for job in jobs) or any(
                sets_up(os.path.join(ROOT, job["uses"])) for job in jobs if "uses" in job)
        self.assertEqual(7, len(WORKFLOWS))
        for path in WORKFLOWS:
            with self.subTest(workflow=os.path.basename(path)):
                self.assertTrue(sets_up(path))

    def test_every_workflow_that_changes_an_environment_holds_its_lock(self):
        for path in WORKFLOWS:
            workflow = load(path)
            runs = " ".join(step.get("run", "") for _, step in steps(workflow))
            if re.search(r"make (apply|destroy)\b", runs):
                with self.subTest(workflow=os.path.basename(path)):
                    concurrency = workflow.get("concurrency") or {}
                    self.assertEqual("apply-${{ inputs.environment }}", concurrency.get("group"))
                    self.assertIs(False, concurrency.get("cancel-in-progress"))
            else:
                self.assertIn("concurrency", workflow, f"{os.path.basename(path)} has no concurrency group")

    def test_deploy_applies_dev_then_staging_then_prod_through_the_locked_workflow(self):
        jobs = load(os.path.join(ROOT, ".github", "workflows", "deploy.yml"))["jobs"]
        self.assertEqual(["dev", "staging", "prod"], [j["with"]["environment"] for j in jobs.values()])
        self.assertEqual([None, "dev", "staging"], [j.get("needs") for j in jobs.values()])
        self.assertTrue(all(j["uses"] == "./.github/workflows/apply-environment.yml" for j in jobs.values()))

    def test_destroy_is_manual_and_refuses_without_the_typed_confirmation(self):
        workflow = load(os.path.join(ROOT, ".github", "workflows", "destroy.yml"))
        self.assertEqual(["workflow_dispatch"], list(workflow["on"]))
        destroying = [j for j in workflow["jobs"].values() if any("make destroy" in s.get("run", "") for s in j["steps"])]
        self.assertEqual(1, len(destroying))
        self.assertEqual("inputs.confirmation == format('destroy {0}', inputs.environment)", destroying[0]["if"])

    def test_no_input_is_interpolated_into_a_shell_script(self):
        for path in WORKFLOWS:
            for _, step in steps(load(path)):
                with self.subTest(workflow=os.path.basename(path), run=step.get("run", "")[:40]):
                    self.assertNotRegex(step.get("run", ""), r"\$\{\{\s*(inputs|github\.event)\.")

    def test_every_make_target_called_exists(self):
        targets = makefile_targets()
        called = set()
        for path in WORKFLOWS:
            for _, step in steps(load(path)):
                called.update(re.findall(r"\bmake ([a-z][a-z-]*)", step.get("run", "")))
        self.assertTrue(called >= {"test", "plan", "apply", "drift", "destroy", "synth", "rollback", "promote"}, called)
        self.assertLessEqual(called, targets)

    def test_the_apply_role_s_workflows_run_only_from_main(self):
        # The apply role trusts apply-environment.yml and destroy.yml on refs/heads/main; these triggers are what
        # puts main's reviewed code, and nothing else, into those jobs.
        self.assertEqual({"push": {"branches": ["main"]}}, workflow("deploy.yml")["on"])
        self.assertEqual(["workflow_call"], list(workflow("apply-environment.yml")["on"]))
        self.assertEqual(["workflow_dispatch"], list(workflow("destroy.yml")["on"]))
        for path in WORKFLOWS:
            with self.subTest(workflow=os.path.basename(path)):
                triggers = workflow(os.path.basename(path))["on"]
                self.assertFalse({"pull_request_target", "workflow_run"} & set(triggers), "these run main's files for untrusted events")
                callers = [j for j in load(path)["jobs"].values() if "apply-environment.yml" in j.get("uses", "")]
                self.assertEqual(os.path.basename(path) == "deploy.yml", bool(callers))

    def test_each_role_is_assumed_in_the_github_environment_its_trust_names(self):
        for path in WORKFLOWS:
            for name, job in load(path)["jobs"].items():
                roles = {s.get("with", {}).get("role-to-assume") for s in job.get("steps", []) or [] if "configure-aws-credentials" in s.get("uses", "")}
                with self.subTest(workflow=os.path.basename(path), job=name):
                    if "${{ vars.PLAN_ROLE_ARN }}" in roles:
                        expected = "${{ inputs.environment }}-plan" if os.path.basename(path) in RELEASE_WORKFLOWS else "${{ matrix.env }}-plan"
                        self.assertEqual(expected, job.get("environment"))
                    if "${{ vars.APPLY_ROLE_ARN }}" in roles:
                        self.assertEqual("${{ inputs.environment }}", job.get("environment"))
                        self.assertIn(os.path.basename(path), ("apply-environment.yml", "destroy.yml"))
        self.assertEqual("${{ matrix.env }}-plan", workflow("pr.yml")["jobs"]["plan"]["environment"])
        self.assertEqual("${{ matrix.env }}-plan", workflow("drift.yml")["jobs"]["drift"]["environment"])

    def test_pull_requests_record_the_approval_of_their_destructive_changes(self):
        pr = workflow("pr.yml")
        self.assertLessEqual({"opened", "synchronize", "reopened", "labeled", "unlabeled"}, set(pr["on"]["pull_request"]["types"]))
        plan = next(s for s in pr["jobs"]["plan"]["steps"] if "make plan" in s.get("run", ""))
        self.assertIn("approve-destructive", plan["env"]["APPROVE_DESTRUCTIVE"])
        record = next(s for s in pr["jobs"]["comment"]["steps"] if "scripts/approval.py marker" in s.get("run", ""))
        self.assertEqual("contains(github.event.pull_request.labels.*.name, 'approve-destructive')", record["if"])
        self.assertEqual("${{ github.event.pull_request.head.sha }}", record["env"]["HEAD_SHA"])
        self.assertIn('--head-sha "$HEAD_SHA"', record["run"])
        self.assertIn("--verdicts plans", record["run"])
        script = next(s for s in pr["jobs"]["comment"]["steps"] if "github-script" in s.get("uses", ""))["with"]["script"]
        self.assertIn("plans/approval-marker.md", record["run"])
        self.assertIn("plans/approval-marker.md", script)

    def test_the_deploy_applies_only_what_the_merged_pull_request_approved(self):
        apply = workflow("apply-environment.yml")
        self.assertEqual("read", apply["permissions"].get("pull-requests"))
        self.assertEqual("read", workflow("deploy.yml")["permissions"].get("pull-requests"))
        self.assertEqual({"environment"}, set(apply["on"]["workflow_call"]["inputs"]), "no input may carry an approval")
        self.assertEqual([{"environment": j["with"]["environment"]} for j in workflow("deploy.yml")["jobs"].values()],
                         [j["with"] for j in workflow("deploy.yml")["jobs"].values()])
        steps = apply["jobs"]["apply"]["steps"]
        runs = [s.get("run", "") for s in steps]
        fetch = next(i for i, r in enumerate(runs) if "scripts/approval.py extract" in r)
        plan = next(i for i, r in enumerate(runs) if "make plan" in r)
        credentials = next(i for i, s in enumerate(steps) if "configure-aws-credentials" in s.get("uses", ""))
        self.assertLess(fetch, credentials, "the approval is read before any AWS credentials exist")
        self.assertLess(credentials, plan)
        self.assertIn('gh api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls"', runs[fetch])
        self.assertIn('gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$number/comments"', runs[fetch])
        self.assertIn('--sha "$GITHUB_SHA"', runs[fetch])
        self.assertIn('--environment "$ENVIRONMENT"', runs[fetch])
        self.assertIn('--out "$APPROVALS/approved-destructive.json"', runs[fetch])
        self.assertEqual("${{ runner.temp }}/approvals", steps[fetch]["env"]["APPROVALS"])
        self.assertEqual("${{ github.token }}", steps[fetch]["env"]["GH_TOKEN"])
        self.assertEqual("${{ runner.temp }}/approvals/approved-destructive.json", steps[plan]["env"]["APPROVED_DESTRUCTIVE_FILE"])
        self.assertNotIn("APPROVE_DESTRUCTIVE", steps[plan]["env"])
        with open(os.path.join(ROOT, "scripts", "plan.sh")) as f:
            self.assertIn('approve=(--approved "$APPROVED_DESTRUCTIVE_FILE")', f.read())

    def test_rollback_and_promote_propose_a_pull_request_from_main_and_never_apply(self):
        for name, target in (("rollback.yml", "make rollback"), ("promote.yml", "make promote")):
            with self.subTest(workflow=name):
                release = workflow(name)
                self.assertEqual(["workflow_dispatch"], list(release["on"]))
                self.assertEqual(["dev", "staging", "prod"], release["on"]["workflow_dispatch"]["inputs"]["environment"]["options"])
                self.assertEqual({"group": "release-${{ inputs.environment }}", "cancel-in-progress": False}, release["concurrency"])
                (job,) = release["jobs"].values()
                self.assertEqual("github.ref == 'refs/heads/main'", job["if"])
                runs = [s.get("run", "") for s in job["steps"]]
                self.assertFalse(any(re.search(r"make (apply|destroy)|terraform apply", r) for r in runs))
                roles = [s["with"]["role-to-assume"] for s in job["steps"] if "configure-aws-credentials" in s.get("uses", "")]
                self.assertEqual(["${{ vars.PLAN_ROLE_ARN }}"], roles)
                change = next(i for i, r in enumerate(runs) if r.startswith(target))
                propose = next(i for i, r in enumerate(runs) if r.startswith("bash scripts/release_pr.sh"))
                self.assertLess(change, propose)
                self.assertEqual("${{ secrets.RELEASE_PR_TOKEN || github.token }}", job["steps"][propose]["env"]["GH_TOKEN"])
                for var, value in job["steps"][change]["env"].items():
                    self.assertEqual(f"${{{{ inputs.{var.lower()} }}}}", value)
                    self.assertIn(f'"${var}"', runs[change], f"{var} reaches make as a quoted shell variable")


class ReleasePullRequest(unittest.TestCase):
    """scripts/release_pr.sh on a clone of this repository with a local remote and a gh that records its call."""

    def setUp(self):
        import shutil
        import subprocess
        import tempfile
        self.run_ = lambda *a, **k: subprocess.run(*a, check=True, capture_output=True, text=True, **k)
        self.tmp = tempfile.mkdtemp(prefix="mlopstf-release-pr-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.remote = os.path.join(self.tmp, "remote.git")
        self.clone = os.path.join(self.tmp, "clone")
        self.run_(["git", "init", "-q", "--bare", "-b", "main", self.remote])
        self.run_(["git", "clone", "-q", "--no-local", ROOT, self.clone])
        self.run_(["git", "-C", self.clone, "remote", "set-url", "origin", self.remote])
        # The working tree's scripts and releases file, whatever is committed yet.
        for rel in ("scripts/release_pr.sh", "scripts/lib.sh", "environments/releases.json"):
            shutil.copy(os.path.join(ROOT, rel), os.path.join(self.clone, rel))
        self.run_(["git", "-C", self.clone, "add", "-A"])
        self.run_(["git", "-C", self.clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "base"])
        self.run_(["git", "-C", self.clone, "push", "-q", "origin", "HEAD:main"])
        bin_dir = os.path.join(self.tmp, "bin")
        os.makedirs(bin_dir)
        with open(os.path.join(bin_dir, "gh"), "w") as f:
            f.write('#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_ARGS"\nbody=$(sed -n "/--body-file/{n;p}" "$GH_ARGS")\ncp "$body" "$GH_ARGS.body"\n')
        os.chmod(os.path.join(bin_dir, "gh"), 0o755)
        self.out = os.path.join(self.tmp, "out")
        os.makedirs(os.path.join(self.out, "plans"))
        self.env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", CDKTF_OUTDIR=self.out, RUN_ID="42",
                        GH_ARGS=os.path.join(self.tmp, "gh-args"), GH_TOKEN="unused")

    def release(self, moved="rollback: prod/churn: 1.1.0 -> 1.0.0\n", plan="### prod\n1 to change\n"):
        with open(os.path.join(self.out, "release.txt"), "w") as f:
            f.write(moved)
        with open(os.path.join(self.out, "plans", "prod.md"), "w") as f:
            f.write(plan)
        import subprocess
        return subprocess.run(["bash", "scripts/release_pr.sh", "rollback", "prod"], cwd=self.clone, env=self.env, capture_output=True, text=True)

    def edit(self, rel, old, new):
        path = os.path.join(self.clone, rel)
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))

    def test_it_pushes_the_releases_file_alone_and_opens_the_pull_request_with_the_plan(self):
        self.edit("environments/releases.json", '"prod": {\n    "churn": "1.1.0"', '"prod": {\n    "churn": "1.0.0"')
        result = self.release()
        self.assertEqual(0, result.returncode, result.stderr)
        branch = "release/rollback-prod-42"
        files = self.run_(["git", "-C", self.remote, "diff", "--name-only", "main", branch]).stdout.split()
        self.assertEqual(["environments/releases.json"], files)
        with open(self.env["GH_ARGS"]) as f:
            args = f.read().split("\n")
        self.assertEqual(["pr", "create", "--base", "main", "--head", branch, "--title", "rollback prod: prod/churn: 1.1.0 -> 1.0.0"], args[:8])
        with open(self.env["GH_ARGS"] + ".body") as f:
            body = f.read()
        self.assertIn("rollback: prod/churn: 1.1.0 -> 1.0.0", body)
        self.assertIn("### prod\n1 to change", body)

    def test_it_refuses_when_anything_but_the_releases_file_changed(self):
        self.edit("environments/releases.json", '"prod": {\n    "churn": "1.1.0"', '"prod": {\n    "churn": "1.0.0"')
        self.edit("scripts/lib.sh", "#", "# changed", )
        result = self.release()
        self.assertNotEqual(0, result.returncode)
        self.assertIn("changes environments/releases.json only", result.stderr)
        self.assertFalse(os.path.exists(self.env["GH_ARGS"]))

    def test_it_refuses_when_nothing_changed_or_no_plan_ran(self):
        result = self.release()
        self.assertIn("is unchanged: nothing to propose", result.stderr)
        self.edit("environments/releases.json", '"prod": {\n    "churn": "1.1.0"', '"prod": {\n    "churn": "1.0.0"')
        os.remove(os.path.join(self.out, "plans", "prod.md")) if os.path.exists(os.path.join(self.out, "plans", "prod.md")) else None
        with open(os.path.join(self.out, "release.txt"), "w") as f:
            f.write("rollback: prod/churn: 1.1.0 -> 1.0.0\n")
        import subprocess
        result = subprocess.run(["bash", "scripts/release_pr.sh", "rollback", "prod"], cwd=self.clone, env=self.env, capture_output=True, text=True)
        self.assertIn("plans/prod.md is missing", result.stderr)
        self.assertFalse(os.path.exists(self.env["GH_ARGS"]))


if __name__ == "__main__":
    unittest.main()


class FreshRunner(unittest.TestCase):
    """scripts/fresh_runner.py (make fresh-runner) runs what the setup action and a job would run on a new runner."""

    @classmethod
    def setUpClass(cls):
        import importlib.util
        spec = importlib.util.spec_from_file_location("fresh_runner", os.path.join(ROOT, "scripts", "fresh_runner.py"))
        cls.runner = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.runner)

    def test_every_tool_action_of_the_setup_action_has_a_stand_in(self):
        used = {s["uses"].split("@")[0] for s in action_steps() if "uses" in s}
        self.assertEqual(set(), used - self.runner.STOOD_IN, "make fresh-runner would refuse these; add their tools")

    def test_the_pr_test_job_runs_the_local_aws_install_and_make_test(self):
        runs = [payload[0].strip() for _, kind, payload in self.runner.expand("pr.yml", "test") if kind == "run"]
        pip = next(s["run"].strip() for s in action_steps() if s.get("if") == "inputs.local-aws == 'true'")
        self.assertEqual(pip, runs[0], "the setup action's Python packages come first (pr.yml sets local-aws)")
        self.assertIn("make test", runs)

    def test_a_job_without_local_aws_skips_the_python_packages(self):
        pip = next(s["run"].strip() for s in action_steps() if s.get("if") == "inputs.local-aws == 'true'")
        runs = [payload[0].strip() for _, kind, payload in self.runner.expand("pr.yml", "plan") if kind == "run"]
        self.assertNotIn(pip, runs)
        self.assertTrue(any(r.startswith("make plan") for r in runs))

    def test_a_condition_it_cannot_evaluate_is_refused(self):
        with self.assertRaises(SystemExit) as raised:
            self.runner.evaluate("github.ref == 'refs/heads/main'", {})
        self.assertIn("cannot evaluate", str(raised.exception))
