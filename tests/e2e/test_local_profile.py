"""The local profile that make e2e applies beside the synthesized stacks (scripts/localaws.py): what it leaves out
and why, that the override it writes is valid Terraform, that nothing points past the loopback address, and that the
README and the mock-provider tests keep up with the exclusion list."""
import json
import os
import shutil
import unittest

import harness
from harness import localaws, overrides

README = os.path.join(harness.ROOT, "README.md")
MOCK_TESTS = os.path.join(harness.ROOT, "tests", "TerraformMockProviderTests.cs")


class LocalProfile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = harness.new_workdir("mlopstf-local-profile-")
        cls.dev = harness.stack_copy(cls.work, "dev")
        cls.config = harness.stack_json(os.path.dirname(cls.dev), "dev")
        cls.excluded = localaws.write_override(cls.dev, "http://127.0.0.1:1")
        cls.blocks = {address: (block, rtype, name) for address, block, rtype, name, _ in localaws._blocks(cls.config)}
        with open(overrides.path(cls.dev, "localaws")) as f:
            cls.override = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_left_out_are_the_listed_resources_and_what_refers_to_them(self):
        roots = [a for a, reason in self.excluded if not reason.startswith("refers to ")]
        in_dev = [r["type"] for r in localaws.LOCAL_EXCLUSIONS if not r.get("bootstrap_only")]
        self.assertEqual(sorted(in_dev), sorted(a.split(".")[0] for a in roots))
        addresses = {a for a, _ in self.excluded}
        for address, reason in self.excluded:
            if reason.startswith("refers to "):
                target = reason[len("refers to "):].split(",")[0]
                self.assertIn(target, addresses)
                block, rtype, name = self.blocks[address]
                self.assertTrue(localaws._references(self.config[block][rtype][name], target), f"{address} does not refer to {target}")

    def test_override_leaves_them_out_and_the_stack_still_validates(self):
        for address, _ in self.excluded:
            block, rtype, name = self.blocks[address]
            self.assertEqual(0, self.override[block][rtype][name]["count"], address)
        self.assertEqual({"value": localaws.LEFT_OUT_OUTPUT}, self.override["output"]["sagemaker_domain_id"])
        env = dict(os.environ, **localaws.credentials_env(), **harness.terraform_env())
        harness.run(["terraform", f"-chdir={self.dev}", "init", "-backend=false", "-input=false"], env)
        result = harness.run(["terraform", f"-chdir={self.dev}", "validate", "-no-color"], env)
        self.assertIn("The configuration is valid", result.stdout)

    def test_quirks_keep_the_resources_own_lifecycle(self):
        configs = self.override["resource"]["aws_sagemaker_endpoint_configuration"]
        self.assertTrue(configs)
        for name, body in configs.items():
            self.assertEqual({"create_before_destroy": True, "ignore_changes": ["data_capture_config"]}, body["lifecycle"], name)

    def test_only_loopback_endpoints(self):
        with self.assertRaises(AssertionError):
            localaws.write_override(self.dev, "http://10.0.0.1:4566")
        provider = self.override["provider"]["aws"][0]
        self.assertEqual({"http://127.0.0.1:1"}, set(provider["endpoints"][0].values()))

    def test_readme_shows_every_exclusion_and_quirk_with_its_error(self):
        with open(README) as f:
            readme = " ".join(f.read().split())
        for rule in localaws.LOCAL_EXCLUSIONS:
            self.assertIn(f"`{rule['type']}`", readme)
            self.assertIn(" ".join(rule["error"].split()), readme, f"README lacks the error for {rule['type']}")
        for quirk in localaws.LOCAL_QUIRKS:
            self.assertIn(" ".join(quirk["reason"].split()), readme, f"README lacks the quirk of {quirk['type']}")

    def test_mock_provider_tests_cover_every_left_out_type(self):
        with open(MOCK_TESTS) as f:
            mock_tests = f.read()
        for rule in localaws.LOCAL_EXCLUSIONS:
            self.assertIn(f'"{rule["type"]}"', mock_tests, f"no mock-provider assertion on {rule['type']}")


if __name__ == "__main__":
    unittest.main()
