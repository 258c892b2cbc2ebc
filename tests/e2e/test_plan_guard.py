"""The plan guard on plans that terraform itself wrote: dev's data bucket is created on the local AWS stand-in, then
the configuration is deliberately changed so that the bucket must be replaced, and the guard must refuse the plan
unless the replacement is approved: by --approve-destructive (local use) or by an approvals file that lists exactly
that address and action (what the deploy passes)."""
import json
import os
import subprocess
import unittest

import harness

ENV = "dev"
GUARD = os.path.join(harness.ROOT, "tools", "PlanGuard", "bin", "Release", "net10.0", "PlanGuard.dll")


class PlanGuardOnRealPlans(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(GUARD):
            raise RuntimeError(f"{GUARD} is missing; build the tests first (make test builds it)")
        cls.fixture = harness.DevDataBucketOnLocalAws("mlopstf-e2e-guard-")

    @classmethod
    def tearDownClass(cls):
        cls.fixture.close()

    def plan_with_bucket_name(self, name, label):
        f = self.fixture
        config = json.loads(json.dumps(f.config))
        config["resource"]["aws_s3_bucket"][f.name]["bucket"] = name
        with open(f.config_path, "w") as out:
            json.dump(config, out)
        planfile = os.path.join(f.work, f"{label}.tfplan")
        f.tf("plan", "-input=false", "-refresh=false", f"-target={f.address}", f"-out={planfile}")
        show = os.path.join(f.work, f"{label}.json")
        with open(show, "w") as out:
            out.write(f.tf("show", "-json", planfile).stdout)
        return show

    def guard(self, plan, *extra):
        verdict = os.path.join(self.fixture.work, "verdict.json")
        result = subprocess.run(["dotnet", GUARD, "--plan", plan, "--stack", ENV, "--json", verdict, *extra],
                                capture_output=True, text=True, timeout=120)
        with open(verdict) as f:
            return result, json.load(f)

    def test_unchanged_bucket_passes(self):
        plan = self.plan_with_bucket_name(self.fixture.bucket, "same")
        result, verdict = self.guard(plan)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("ok", verdict["verdict"])
        self.assertEqual({"create": 0, "update": 0, "replace": 0, "delete": 0}, verdict["counts"])

    def test_renamed_bucket_is_a_replacement_that_needs_approval(self):
        plan = self.plan_with_bucket_name("mlopstf-dev-data-renamed-111122223333", "renamed")
        result, verdict = self.guard(plan)
        self.assertEqual(3, result.returncode, result.stdout + result.stderr)
        self.assertEqual("needs-approval", verdict["verdict"])
        self.assertEqual([{"address": self.fixture.address, "type": "aws_s3_bucket", "action": "replace"}], verdict["destructive"])
        self.assertIn("explicit approval required", result.stdout)
        approved, verdict = self.guard(plan, "--approve-destructive")
        self.assertEqual(0, approved.returncode, approved.stderr)
        self.assertEqual("approved", verdict["verdict"])

    def approvals(self, *changes, environment=ENV):
        path = os.path.join(self.fixture.work, "approved.json")
        with open(path, "w") as out:
            json.dump({"version": 1, "environments": {environment: [{"address": a, "action": c} for a, c in changes]}}, out)
        return path

    def test_an_approvals_file_approves_exactly_the_changes_it_lists(self):
        plan = self.plan_with_bucket_name("mlopstf-dev-data-renamed-111122223333", "renamed-approved")
        address = self.fixture.address
        listed, verdict = self.guard(plan, "--approved", self.approvals((address, "replace"), ("aws_s3_bucket.gone", "delete")))
        self.assertEqual(0, listed.returncode, listed.stdout + listed.stderr)
        self.assertEqual(("approved", []), (verdict["verdict"], verdict["unapproved"]))
        for label, path in (("other address", self.approvals(("aws_s3_bucket.other", "replace"))),
                            ("other action", self.approvals((address, "delete"))),
                            ("other environment", self.approvals((address, "replace"), environment="prod")),
                            ("nothing listed", self.approvals())):
            with self.subTest(label):
                refused, verdict = self.guard(plan, "--approved", path)
                self.assertEqual(3, refused.returncode, refused.stdout + refused.stderr)
                self.assertEqual([address], [c["address"] for c in verdict["unapproved"]])


if __name__ == "__main__":
    unittest.main()
