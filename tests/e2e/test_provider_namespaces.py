"""scripts/provider-namespaces.sh, which decides what scripts/setup-packages.sh builds of the provider: the
namespaces the repository's C# names (in .cs files and in a project's <Using Include>), the files naming one, and
what a build's record lacks (a use of a new resource type rebuilds the package); and scripts/trim-jsii.mjs, which
keeps those namespaces of the provider's jsii assembly for code generation."""
import json
import os
import shutil
import unittest

import harness

SCRIPT = os.path.join(harness.ROOT, "scripts", "provider-namespaces.sh")
TRIM = os.path.join(harness.ROOT, "scripts", "trim-jsii.mjs")


def assembly(extra_ref=None):
    """A provider-shaped jsii assembly: two submodules, a struct of one naming a type of the other when extra_ref."""
    bucket_props = {"fqn": "p.s3Bucket.S3BucketConfig", "namespace": "s3Bucket", "kind": "interface", "properties": []}
    if extra_ref:
        bucket_props["properties"] = [{"name": "x", "type": {"fqn": extra_ref}}]
    return {"name": "p", "version": "1.0.0", "submodules": {"p.s3Bucket": {}, "p.vpc": {}, "p.provider": {}},
            "types": {"p.s3Bucket.S3Bucket": {"fqn": "p.s3Bucket.S3Bucket", "namespace": "s3Bucket", "kind": "class",
                                              "initializer": {"parameters": [{"type": {"fqn": "p.s3Bucket.S3BucketConfig"}}]}},
                      "p.s3Bucket.S3BucketConfig": bucket_props,
                      "p.vpc.Vpc": {"fqn": "p.vpc.Vpc", "namespace": "vpc", "kind": "class"},
                      "p.provider.AwsProvider": {"fqn": "p.provider.AwsProvider", "namespace": "provider", "kind": "class"}}}


def run(*args):
    return harness.run(["bash", SCRIPT, *args], dict(os.environ)).stdout.split()


class ProviderNamespaces(unittest.TestCase):
    def setUp(self):
        self.work = harness.new_workdir("mlopstf-namespaces-")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def test_names_every_namespace_the_code_uses_once_and_sorted(self):
        names = run()
        self.assertEqual(names, sorted(set(names)))
        self.assertIn("Provider", names)
        self.assertIn("DataAwsIamPolicyDocument", names, "a <Using Include> in MlopsTf.csproj")
        self.assertIn("S3Object", names, "a using in constructs/Frontend/StaticSite.cs")
        self.assertIn("SagemakerEndpoint", names)
        self.assertNotIn("AccessanalyzerAnalyzer", names, "a resource type the code never uses")

    def test_where_names_the_files(self):
        self.assertIn("constructs/Frontend/StaticSite.cs", [os.path.relpath(p, ".") for p in run("--where", "S3Object")])

    def test_missing_is_what_the_record_lacks(self):
        names = run()
        record = os.path.join(self.work, "record")
        with open(record, "w") as f:
            f.write("\n".join(n for n in names if n not in ("S3Object", "Vpc")) + "\nAccessanalyzerAnalyzer\n")
        self.assertEqual(run("--missing", record), ["S3Object", "Vpc"])
        with open(record, "w") as f:
            f.write("\n".join(reversed(names)) + "\n")
        self.assertEqual(run("--missing", record), [])


class TrimJsii(unittest.TestCase):
    def setUp(self):
        self.work = harness.new_workdir("mlopstf-trim-")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def trim(self, document, namespaces):
        source, listed, out = (os.path.join(self.work, n) for n in ("in.jsii", "namespaces", "out.jsii"))
        with open(source, "w") as f:
            json.dump(document, f)
        with open(listed, "w") as f:
            f.write("\n".join(namespaces) + "\n")
        result = harness.run(["node", TRIM, source, listed, out], dict(os.environ), check=False)
        return result, (json.load(open(out)) if result.returncode == 0 else None)

    def test_keeps_the_listed_namespaces_and_their_types_only(self):
        result, trimmed = self.trim(assembly(), ["Provider", "S3Bucket"])
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(sorted(trimmed["submodules"]), ["p.provider", "p.s3Bucket"])
        self.assertEqual(sorted(trimmed["types"]), ["p.provider.AwsProvider", "p.s3Bucket.S3Bucket", "p.s3Bucket.S3BucketConfig"])
        self.assertIn("2 submodules, 3 of 4 types", result.stdout)

    def test_refuses_a_namespace_the_provider_lacks(self):
        result, _ = self.trim(assembly(), ["S3Bucket", "S3Buckets"])
        self.assertNotEqual(0, result.returncode)
        self.assertIn("HashiCorp.Cdktf.Providers.Aws.S3Buckets: not a namespace of p 1.0.0", result.stderr)
        self.assertIn("--where NAME", result.stderr)

    def test_refuses_a_kept_type_that_names_a_dropped_one(self):
        result, _ = self.trim(assembly(extra_ref="p.vpc.Vpc"), ["S3Bucket"])
        self.assertNotEqual(0, result.returncode)
        self.assertIn("kept types refer to types left out: p.vpc.Vpc", result.stderr)


if __name__ == "__main__":
    unittest.main()
