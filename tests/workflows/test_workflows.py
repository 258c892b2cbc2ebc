"""Checks the users' GitHub Actions workflows: least permissions, pinned actions, concurrency for applies, no
inputs interpolated into shell, and every make target they call exists in the Makefile."""
import glob
import os
import re
import unittest

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORKFLOWS = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))
ALLOWED_PERMISSIONS = {("id-token", "write"), ("contents", "read"), ("pull-requests", "write"), ("issues", "write")}
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@([0-9a-f]{40}|v\d+\.\d+\.\d+)$")


def load(path):
    with open(path) as f:
        # PyYAML reads the key `on` as the boolean True.
        return {("on" if k is True else k): v for k, v in yaml.safe_load(f).items()}


def steps(workflow):
    for job in workflow.get("jobs", {}).values():
        for step in job.get("steps", []) or []:
            yield job, step


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

    def test_tool_versions_are_pinned(self):
        for path in WORKFLOWS:
            for _, step in steps(load(path)):
                uses, given = step.get("uses", ""), step.get("with", {}) or {}
                if uses.startswith("hashicorp/setup-terraform"):
                    self.assertIn(given.get("terraform_version"), ("1.11.4", "${{ env.TERRAFORM_VERSION }}"))
                if uses.startswith("actions/setup-dotnet"):
                    self.assertIn(given.get("dotnet-version"), ("10.0.401", "${{ env.DOTNET_VERSION }}"))
                if uses.startswith("actions/setup-node"):
                    self.assertRegex(str(given.get("node-version")), r"^(\d+\.\d+\.\d+|\$\{\{ env\.NODE_VERSION \}\})$")

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
        self.assertTrue(called >= {"test", "plan", "apply", "drift", "destroy", "synth"}, called)
        self.assertLessEqual(called, targets)


if __name__ == "__main__":
    unittest.main()
