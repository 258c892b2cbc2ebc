"""Bad input to the operational scripts is refused before anything runs, with an error that names the field, the
value and the fix (no AWS and no terraform are involved)."""
import json
import os
import shutil
import unittest

import harness


class ScriptInputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = harness.new_workdir("mlopstf-script-inputs-")
        os.makedirs(os.path.join(cls.work, "stacks", "bootstrap-dev"))
        with open(os.path.join(cls.work, "stacks", "bootstrap-dev", "cdk.tf.json"), "w") as f:
            json.dump({"terraform": {"backend": {"s3": {"bucket": "b"}}}}, f)
        cls.env = dict(os.environ, CDKTF_OUTDIR=cls.work, PATH="/usr/bin:/bin")  # no terraform reachable

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def refused(self, *cmd, **extra):
        result = harness.run(list(cmd), dict(self.env, **extra), check=False)
        self.assertNotEqual(0, result.returncode)
        return result.stderr

    def test_unlock_needs_a_lock_id(self):
        self.assertIn("LOCK_ID is required: copy it from the 'ID:' line", self.refused("bash", "scripts/unlock.sh", "dev"))

    def test_unlock_refuses_what_is_not_a_lock_id(self):
        error = self.refused("bash", "scripts/unlock.sh", "dev", LOCK_ID="dev/terraform.tfstate")
        self.assertIn("LOCK_ID='dev/terraform.tfstate' is not a lock ID", error)
        self.assertIn("UUID on the 'ID:' line", error)

    def test_bootstrap_destroy_needs_the_typed_confirmation(self):
        error = self.refused("bash", "scripts/bootstrap.sh", "dev", "destroy", CONFIRM="destroy dev")
        self.assertIn('set CONFIRM="destroy bootstrap-dev" (typed exactly)', error)

    def test_environment_destroy_needs_the_typed_confirmation(self):
        self.assertIn('set CONFIRM="destroy dev" (typed exactly)', self.refused("bash", "scripts/destroy.sh", "dev", CONFIRM="yes"))


if __name__ == "__main__":
    unittest.main()
