"""make drift on a resource deployed to the local AWS stand-in: clean after apply, drift after an out-of-band change
(the report names the resource and attribute with recorded and actual values), clean again after a re-apply."""
import json
import os
import shutil
import unittest

import harness
from harness import localaws

ENV = "dev"
ACCOUNT = "111122223333"


class DriftDetection(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = harness.new_workdir("mlopstf-e2e-drift-")
        cls.out = os.path.join(cls.work, "out")
        stacks = harness.synth(cls.out)
        cls.dir = os.path.join(stacks, ENV)
        config = harness.stack_json(stacks, ENV)
        name, body = next((n, b) for n, b in config["resource"]["aws_s3_bucket"].items()
                          if b["//"]["metadata"]["path"].endswith("data-bucket/bucket"))
        cls.address = f"aws_s3_bucket.{name}"
        cls.bucket = body["bucket"]
        cls.aws = localaws.LocalAws(ACCOUNT, os.path.join(cls.work, "moto.log")).__enter__()
        try:
            localaws.write_override(cls.dir, cls.aws.endpoint)
            with open(os.path.join(cls.dir, "drift_backend_override.tf.json"), "w") as f:
                json.dump({"terraform": {"backend": {"local": {"path": os.path.join(cls.work, "dev.tfstate")}}}}, f)
            cls.env = dict(os.environ, **localaws.credentials_env(), **harness.terraform_env(cls.work),
                           CDKTF_OUTDIR=cls.out, TARGETS=cls.address, TF_IN_AUTOMATION="1")
            cls.apply()
        except Exception:
            cls.aws.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.aws.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    @classmethod
    def apply(cls):
        harness.run(["terraform", f"-chdir={cls.dir}", "init", "-input=false", "-reconfigure"], cls.env)
        harness.run(["terraform", f"-chdir={cls.dir}", "apply", "-input=false", "-auto-approve", f"-target={cls.address}"], cls.env)

    def drift(self):
        result = harness.run(["bash", "scripts/drift.sh", ENV], self.env, check=False)
        report_path = os.path.join(self.out, "drift", f"{ENV}.json")
        if not os.path.exists(report_path):
            return result, None
        with open(report_path) as f:
            return result, json.load(f)

    def test_drift_is_detected_reported_and_cleared_by_a_reapply(self):
        result, report = self.drift()
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)
        self.assertEqual(("clean", []), (report["status"], report["drift"]))

        self.aws.client("s3").put_bucket_tagging(Bucket=self.bucket, Tagging={"TagSet": [{"Key": "Owner", "Value": "someone-else"}]})
        result, report = self.drift()
        self.assertEqual(2, result.returncode, result.stdout + result.stderr)
        self.assertEqual("drift", report["status"])
        owner = [d for d in report["drift"] if d["address"] == self.address and d["attribute"] == "tags_all.Owner"]
        self.assertEqual([{"address": self.address, "attribute": "tags_all.Owner", "recorded": "null", "actual": '"someone-else"'}], owner)
        environment = [d for d in report["drift"] if d["attribute"] == "tags_all.Environment"]
        self.assertEqual('"dev"', environment[0]["recorded"])
        self.assertIn("Drift check: `dev` — drift or pending changes", result.stdout)

        self.apply()
        result, report = self.drift()
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)
        self.assertEqual("clean", report["status"])


if __name__ == "__main__":
    unittest.main()
