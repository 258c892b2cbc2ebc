"""scripts/overrides.py, the one writer of Terraform override files: what each kind contains, the errors for bad
input, and that nothing else in the scripts and tests writes an override file."""
import glob
import json
import os
import shutil
import unittest

import harness
from harness import overrides

OVERRIDES = os.path.join(harness.ROOT, "scripts", "overrides.py")
PROTECTED = {
    "resource": {
        "aws_s3_bucket": {"state": {"bucket": "b", "lifecycle": {"prevent_destroy": True}}, "logs": {"bucket": "l"}},
        "aws_dynamodb_table": {"lock": {"deletion_protection_enabled": True, "lifecycle": {"prevent_destroy": True}}},
        "aws_sns_topic": {"alerts": {"name": "a"}},
    }
}


class Overrides(unittest.TestCase):
    def setUp(self):
        self.dir = harness.new_workdir("mlopstf-overrides-")
        with open(os.path.join(self.dir, "cdk.tf.json"), "w") as f:
            json.dump(PROTECTED, f)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def cli(self, *args, check=True):
        return harness.run(["python3", OVERRIDES, *args], dict(os.environ), check=check)

    def written(self, kind):
        with open(os.path.join(self.dir, f"{kind}_override.tf.json")) as f:
            return json.load(f)

    def test_mock_test_records_local_exec_commands_instead_of_running_them_and_localaws_points_them_at_the_stand_in(self):
        with open(os.path.join(self.dir, "cdk.tf.json"), "w") as f:
            json.dump({"resource": {**PROTECTED["resource"], "terraform_data": {"inv": {"provisioner": [{"local-exec": {
                "command": "aws cloudfront create-invalidation --paths '/'", "environment": {"DISTRIBUTION_ID": "${aws_x.d.id}"}}}]}}}}, f)
        self.cli("write", self.dir, "mock_test")
        recorded = self.written("mock_test")["resource"]["terraform_data"]["inv"]["provisioner"][0]["local-exec"]
        self.assertNotIn("aws cloudfront", recorded["command"])
        self.assertTrue(recorded["command"].endswith(f">> {overrides.LOCAL_EXEC_LOG}"))
        self.assertEqual(recorded["environment"], {"DISTRIBUTION_ID": "${aws_x.d.id}", "MLOPSTF_ADDRESS": "terraform_data.inv",
                                                   "MLOPSTF_COMMAND": "aws cloudfront create-invalidation --paths '/'"})
        self.assertEqual(self.written("mock_test")["resource"]["aws_s3_bucket"], {"state": {"lifecycle": {"prevent_destroy": False}}})
        pointed = overrides.local_exec(overrides.stack(self.dir), extra_env={"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"})
        self.assertEqual(pointed["terraform_data"]["inv"]["provisioner"][0]["local-exec"],
                         {"command": "aws cloudfront create-invalidation --paths '/'",
                          "environment": {"DISTRIBUTION_ID": "${aws_x.d.id}", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}})

    def test_offline_skips_the_provider_s_aws_checks_and_keeps_state_locally(self):
        self.cli("write", self.dir, "offline")
        self.assertEqual({
            "provider": {"aws": [{"skip_credentials_validation": True, "skip_requesting_account_id": True,
                                  "skip_metadata_api_check": "true", "skip_region_validation": True,
                                  "allowed_account_ids": None}]},
            "terraform": {"backend": {"local": {"path": "offline.tfstate"}}},
        }, self.written("offline"))

    def test_local_state_names_the_state_file(self):
        self.cli("write", self.dir, "local_state", "/tmp/x.tfstate")
        self.assertEqual({"terraform": {"backend": {"local": {"path": "/tmp/x.tfstate"}}}}, self.written("local_state"))

    def test_teardown_lifts_every_protection_and_force_destroys_buckets(self):
        self.cli("write", self.dir, "teardown")
        self.assertEqual({"resource": {
            "aws_s3_bucket": {"state": {"lifecycle": {"prevent_destroy": False}, "force_destroy": True},
                              "logs": {"force_destroy": True}},
            "aws_dynamodb_table": {"lock": {"lifecycle": {"prevent_destroy": False}, "deletion_protection_enabled": False}},
        }}, self.written("teardown"))

    def test_mock_test_lifts_only_prevent_destroy(self):
        self.cli("write", self.dir, "mock_test")
        self.assertEqual({"resource": {
            "aws_s3_bucket": {"state": {"lifecycle": {"prevent_destroy": False}}},
            "aws_dynamodb_table": {"lock": {"lifecycle": {"prevent_destroy": False}}},
        }}, self.written("mock_test"))

    def test_remove_deletes_only_the_named_kinds_and_path_names_the_file(self):
        self.cli("write", self.dir, "offline")
        self.cli("write", self.dir, "teardown")
        self.cli("remove", self.dir, "offline", "local_state")
        self.assertEqual(["teardown_override.tf.json"], sorted(os.path.basename(p) for p in glob.glob(f"{self.dir}/*_override.tf.json")))
        self.assertEqual(os.path.join(self.dir, "offline_override.tf.json"), self.cli("path", self.dir, "offline").stdout.strip())

    def test_an_hcl_export_takes_offline_and_local_state_but_not_the_overrides_computed_from_json(self):
        os.remove(os.path.join(self.dir, "cdk.tf.json"))
        with open(os.path.join(self.dir, "cdk.tf"), "w") as f:
            f.write('resource "aws_sns_topic" "alerts" {\n  name = "a"\n}\n')
        self.cli("write", self.dir, "offline")
        self.cli("write", self.dir, "local_state", "x.tfstate")
        self.assertEqual({"local": {"path": "x.tfstate"}}, self.written("local_state")["terraform"]["backend"])
        result = self.cli("write", self.dir, "teardown", check=False)
        self.assertEqual(1, result.returncode)
        self.assertIn(f"error: STACK_DIR '{self.dir}' holds the HCL export (cdk.tf), and this override is computed from the synthesized JSON",
                      result.stderr)

    def test_errors_name_the_value_and_the_fix(self):
        cases = [
            (("write", self.dir, "ofline"), "override kind 'ofline' is unknown; use one of: offline, local_state"),
            (("write", self.dir, "local_state"), "local_state takes 1 argument(s), got 0: overrides.py write STACK_DIR local_state PATH"),
            (("write", self.dir, "localaws"), "the localaws override is written by scripts/localaws.py"),
            (("write", os.path.join(self.dir, "nowhere"), "offline"),
             f"STACK_DIR '{self.dir}/nowhere' holds no cdk.tf.json; name a synthesized stack folder"),
            (("remove", self.dir, "everything"), "override kind 'everything' is unknown"),
        ]
        for args, message in cases:
            with self.subTest(args=args[2:]):
                result = self.cli(*args, check=False)
                self.assertEqual(1, result.returncode)
                self.assertIn(f"error: {message}", result.stderr)
                self.assertNotIn("Traceback", result.stderr)

    def test_nothing_else_writes_an_override_file(self):
        sources = [p for pattern in ("scripts/*", "tests/**/*.py", "tests/**/*.cs", "tests/**/*.mjs", "Makefile")
                   for p in glob.glob(os.path.join(harness.ROOT, pattern), recursive=True)
                   if os.path.isfile(p) and "/bin/" not in p and "/obj/" not in p]
        self.assertGreater(len(sources), 20)
        for path in sources:
            if path in (OVERRIDES, os.path.abspath(__file__)):
                continue
            with open(path, errors="replace") as f:
                named = [line.strip() for line in f if "override.tf.json" in line]
            with self.subTest(file=os.path.relpath(path, harness.ROOT)):
                self.assertEqual([], named, "an override file named outside scripts/overrides.py; write it through that")


if __name__ == "__main__":
    unittest.main()
