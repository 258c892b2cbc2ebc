"""The plan guard on plans that terraform itself wrote: dev's data bucket is created on the local AWS stand-in, then
the configuration is deliberately changed so that the bucket must be replaced, and the guard must refuse the plan
unless the replacement is approved."""
import json
import os
import shutil
import subprocess
import unittest

import harness
from harness import localaws

ENV = "dev"
ACCOUNT = "111122223333"
GUARD = os.path.join(harness.ROOT, "tools", "PlanGuard", "bin", "Release", "net10.0", "PlanGuard.dll")


class PlanGuardOnRealPlans(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(GUARD):
            raise RuntimeError(f"{GUARD} is missing; build the tests first (make test builds it)")
        cls.work = harness.new_workdir("mlopstf-e2e-guard-")
        stacks = harness.synth(os.path.join(cls.work, "out"))
        cls.dir = os.path.join(stacks, ENV)
        cls.config_path = os.path.join(cls.dir, "cdk.tf.json")
        with open(cls.config_path) as f:
            cls.config = json.load(f)
        cls.bucket = next(name for name, body in cls.config["resource"]["aws_s3_bucket"].items()
                          if body["//"]["metadata"]["path"].endswith("data-bucket/bucket"))
        cls.aws = localaws.LocalAws(ACCOUNT, os.path.join(cls.work, "moto.log")).__enter__()
        try:
            localaws.write_override(cls.dir, cls.aws.endpoint)
            with open(os.path.join(cls.dir, "guard_backend_override.tf.json"), "w") as f:
                json.dump({"terraform": {"backend": {"local": {"path": os.path.join(cls.work, "dev.tfstate")}}}}, f)
            cls.env = dict(os.environ, **localaws.credentials_env(), **harness.terraform_env(cls.work), TF_IN_AUTOMATION="1")
            cls.tf("init", "-input=false", "-reconfigure")
            cls.tf("apply", "-input=false", "-auto-approve", f"-target=aws_s3_bucket.{cls.bucket}")
        except Exception:
            cls.aws.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.aws.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    @classmethod
    def tf(cls, *args):
        return harness.run(["terraform", f"-chdir={cls.dir}", *args], cls.env)

    def plan_with_bucket_name(self, name, label):
        config = json.loads(json.dumps(self.config))
        config["resource"]["aws_s3_bucket"][self.bucket]["bucket"] = name
        with open(self.config_path, "w") as f:
            json.dump(config, f)
        planfile = os.path.join(self.work, f"{label}.tfplan")
        self.tf("plan", "-input=false", "-refresh=false", f"-target=aws_s3_bucket.{self.bucket}", f"-out={planfile}")
        show = os.path.join(self.work, f"{label}.json")
        with open(show, "w") as f:
            f.write(self.tf("show", "-json", planfile).stdout)
        return show

    def guard(self, plan, *extra):
        verdict = os.path.join(self.work, "verdict.json")
        result = subprocess.run(["dotnet", GUARD, "--plan", plan, "--stack", ENV, "--json", verdict, *extra],
                                capture_output=True, text=True, timeout=120)
        with open(verdict) as f:
            return result, json.load(f)

    def test_unchanged_bucket_passes(self):
        plan = self.plan_with_bucket_name(self.config["resource"]["aws_s3_bucket"][self.bucket]["bucket"], "same")
        result, verdict = self.guard(plan)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("ok", verdict["verdict"])
        self.assertEqual({"create": 0, "update": 0, "replace": 0, "delete": 0}, verdict["counts"])

    def test_renamed_bucket_is_a_replacement_that_needs_approval(self):
        plan = self.plan_with_bucket_name("mlopstf-dev-data-renamed-111122223333", "renamed")
        result, verdict = self.guard(plan)
        self.assertEqual(3, result.returncode, result.stdout + result.stderr)
        self.assertEqual("needs-approval", verdict["verdict"])
        self.assertEqual([{"address": f"aws_s3_bucket.{self.bucket}", "type": "aws_s3_bucket", "action": "replace"}], verdict["destructive"])
        self.assertIn("explicit approval required", result.stdout)
        approved, verdict = self.guard(plan, "--approve-destructive")
        self.assertEqual(0, approved.returncode, approved.stderr)
        self.assertEqual("approved", verdict["verdict"])


if __name__ == "__main__":
    unittest.main()
