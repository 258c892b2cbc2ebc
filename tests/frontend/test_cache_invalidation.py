"""The site's cache invalidation (constructs/Frontend/CacheInvalidation.cs) run for real: the synthesized staging
stack's terraform_data, with its command unchanged, applied by terraform against a distribution on the local AWS
stand-in (moto_server, 127.0.0.1): the AWS CLI must create one invalidation of "/" and every uploaded file, none when
nothing changed, and a new one when a file's version changes."""
import json
import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import harness  # noqa: E402
from harness import localaws  # noqa: E402

SITE_PATH = "staging/frontend/cache-invalidation/invalidation"


class CacheInvalidation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = harness.new_workdir("mlopstf-invalidation-")
        cls.config = harness.stack_json(harness.synthesized_stacks(cls.work), "staging")
        cls.name, cls.data = next((name, body) for name, body in cls.config["resource"]["terraform_data"].items()
                                  if body["//"]["metadata"]["path"] == SITE_PATH)
        cls.aws = localaws.LocalAws("111122223333", os.path.join(cls.work, "moto.log")).__enter__()
        try:
            cls.distribution = cls.aws.client("cloudfront").create_distribution(DistributionConfig={
                "CallerReference": "site", "Comment": "site", "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [{"Id": "site-bucket", "DomainName": "site.s3.us-east-1.amazonaws.com",
                                                      "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
                "DefaultCacheBehavior": {"TargetOriginId": "site-bucket", "ViewerProtocolPolicy": "redirect-to-https",
                                         "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
            })["Distribution"]["Id"]
        except Exception:
            cls.tearDownClass()
            raise
        cls.env = dict(os.environ, **localaws.credentials_env(), **harness.terraform_env(), TF_IN_AUTOMATION="1")

    @classmethod
    def tearDownClass(cls):
        cls.aws.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    def keys(self):
        return sorted(self.data["triggers_replace"])

    def apply(self, versions):
        """The stack's resource with its command as synthesized, the distribution's id and the stand-in's endpoint in
        its environment, and the given object versions as triggers."""
        provisioner = self.data["provisioner"][0]["local-exec"]
        config = {"resource": {"terraform_data": {"site": {
            "triggers_replace": versions,
            "provisioner": [{"local-exec": {"command": provisioner["command"],
                                            "environment": {"DISTRIBUTION_ID": self.distribution, "AWS_ENDPOINT_URL": self.aws.endpoint}}}],
        }}}}
        tf = os.path.join(self.work, "tf")
        os.makedirs(tf, exist_ok=True)
        with open(os.path.join(tf, "main.tf.json"), "w") as f:
            json.dump(config, f)
        harness.run(["terraform", f"-chdir={tf}", "init", "-input=false"], self.env)
        return harness.run(["terraform", f"-chdir={tf}", "apply", "-input=false", "-auto-approve"], self.env)

    def invalidations(self):
        client = self.aws.client("cloudfront")
        items = client.list_invalidations(DistributionId=self.distribution)["InvalidationList"].get("Items", [])
        return [sorted(client.get_invalidation(DistributionId=self.distribution, Id=i["Id"])["Invalidation"]["InvalidationBatch"]["Paths"]["Items"])
                for i in items]

    def test_the_stack_wires_the_distribution_and_each_file_s_version(self):
        provisioner = self.data["provisioner"][0]["local-exec"]
        self.assertRegex(provisioner["environment"]["DISTRIBUTION_ID"], r"^\$\{aws_cloudfront_distribution\.frontend_distribution_[0-9A-F]+\.id\}$")
        objects = {body["key"]: name for name, body in self.config["resource"]["aws_s3_object"].items()
                   if body["//"]["metadata"]["path"].startswith("staging/frontend/")}
        self.assertIn("index.html", objects)
        self.assertIn("config.json", objects)
        self.assertEqual(self.data["triggers_replace"], {key: f"${{aws_s3_object.{name}.version_id}}" for key, name in objects.items()})

    def test_a_changed_file_invalidates_root_and_every_file_once(self):
        versions = {key: "v1" for key in self.keys()}
        self.apply(versions)
        expected = sorted(["/", *(f"/{key}" for key in self.keys())])
        self.assertEqual(self.invalidations(), [expected], "the first apply invalidates / and every file")
        self.apply(versions)
        self.assertEqual(len(self.invalidations()), 1, "an apply without a new version invalidates nothing")
        self.apply({**versions, "config.json": "v2"})
        self.assertEqual(self.invalidations(), [expected, expected], "a new version of config.json invalidates again")


if __name__ == "__main__":
    unittest.main()
