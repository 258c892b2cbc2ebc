"""scripts/provider-namespaces.sh, which decides what scripts/setup-packages.sh builds of the provider: the
namespaces the repository's C# names (in .cs files and in a project's <Using Include>), the files naming one, and
what a build's record lacks (a use of a new resource type rebuilds the package)."""
import os
import shutil
import unittest

import harness

SCRIPT = os.path.join(harness.ROOT, "scripts", "provider-namespaces.sh")


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


if __name__ == "__main__":
    unittest.main()
