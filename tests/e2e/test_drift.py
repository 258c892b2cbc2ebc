"""make drift on a resource deployed to the local AWS stand-in: clean after apply, drift after an out-of-band change
(the report names the resource and attribute with recorded and actual values), clean again after a re-apply."""
import json
import os
import unittest

import harness

ENV = "dev"


class DriftDetection(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture = harness.DevDataBucketOnLocalAws("mlopstf-e2e-drift-")
        cls.fixture.env["TARGETS"] = cls.fixture.address

    @classmethod
    def tearDownClass(cls):
        cls.fixture.close()

    def drift(self):
        result = harness.run(["bash", "scripts/drift.sh", ENV], self.fixture.env, check=False)
        report_path = os.path.join(self.fixture.out, "drift", f"{ENV}.json")
        if not os.path.exists(report_path):
            return result, None
        with open(report_path) as f:
            return result, json.load(f)

    def test_drift_is_detected_reported_and_cleared_by_a_reapply(self):
        address = self.fixture.address
        result, report = self.drift()
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)
        self.assertEqual(("clean", []), (report["status"], report["drift"]))

        self.fixture.aws.client("s3").put_bucket_tagging(Bucket=self.fixture.bucket, Tagging={"TagSet": [{"Key": "Owner", "Value": "someone-else"}]})
        result, report = self.drift()
        self.assertEqual(2, result.returncode, result.stdout + result.stderr)
        self.assertEqual("drift", report["status"])
        owner = [d for d in report["drift"] if d["address"] == address and d["attribute"] == "tags_all.Owner"]
        self.assertEqual([{"address": address, "attribute": "tags_all.Owner", "recorded": "null", "actual": '"someone-else"'}], owner)
        environment = [d for d in report["drift"] if d["attribute"] == "tags_all.Environment"]
        self.assertEqual('"dev"', environment[0]["recorded"])
        self.assertIn("Drift check: `dev` — drift or pending changes", result.stdout)

        self.fixture.apply()
        result, report = self.drift()
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)
        self.assertEqual("clean", report["status"])


if __name__ == "__main__":
    unittest.main()
