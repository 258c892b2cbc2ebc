"""scripts/lazy-provider-index.mjs, which makes the provider package that scripts/setup-packages.sh builds load its
submodules on first use: it points the package's main at the package's own lib/lazy-index.js once that index is
shown to export the same names, giving the same modules, as lib/index.js."""
import json
import os
import shutil
import unittest

import harness

SCRIPT = os.path.join(harness.ROOT, "scripts", "lazy-provider-index.mjs")
PROVIDER = os.path.join(harness.ROOT, "node_modules", "@cdktf", "provider-aws")

EAGER = """Object.defineProperty(exports, "__esModule", { value: true });
exports.s3Bucket = require('./s3-bucket');
exports.provider = require('./provider');
"""
LAZY = """Object.defineProperty(exports, 's3Bucket', { get: function () { return require('./s3-bucket'); } });
Object.defineProperty(exports, 'provider', { get: function () { return require('./%s'); } });
"""


class LazyProviderIndex(unittest.TestCase):
    def setUp(self):
        self.work = harness.new_workdir("mlopstf-lazy-index-")
        self.package = os.path.join(self.work, "package")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def fake_package(self, lazy=LAZY % "provider", main="lib/index.js"):
        """A provider-shaped package; its package.json is a hard link to a file outside it, as in setup's copy."""
        lib = os.path.join(self.package, "lib")
        os.makedirs(lib)
        for name in ("s3-bucket", "provider", "other"):
            with open(os.path.join(lib, f"{name}.js"), "w") as f:
                f.write(f"exports.name = '{name}';\n")
        with open(os.path.join(lib, "index.js"), "w") as f:
            f.write(EAGER)
        if lazy is not None:
            with open(os.path.join(lib, "lazy-index.js"), "w") as f:
                f.write(lazy)
        original = os.path.join(self.work, "original-package.json")
        with open(original, "w") as f:
            json.dump({"name": "@cdktf/provider-aws", "main": main, "version": "20.1.0"}, f)
        os.link(original, os.path.join(self.package, "package.json"))
        return original

    def run_script(self, package=None):
        return harness.run(["node", SCRIPT, package or self.package], dict(os.environ), check=False)

    def assert_refused(self, fragment):
        result = self.run_script()
        self.assertNotEqual(0, result.returncode)
        self.assertIn(fragment, result.stderr)

    def manifest(self, path=None):
        with open(path or os.path.join(self.package, "package.json")) as f:
            return json.load(f)

    def test_points_main_at_the_lazy_index_and_leaves_the_linked_original_alone(self):
        original = self.fake_package()
        result = self.run_script()
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("2", result.stdout.strip(), "the number of submodules checked")
        self.assertEqual({"name": "@cdktf/provider-aws", "main": "lib/lazy-index.js", "version": "20.1.0"}, self.manifest())
        self.assertEqual("lib/index.js", self.manifest(original)["main"], "node_modules' package.json must not change")

    def test_refuses_a_lazy_index_that_gives_another_module(self):
        self.fake_package(lazy=LAZY % "other")
        self.assert_refused("gives other modules than lib/index.js for provider")
        self.assertEqual("lib/index.js", self.manifest()["main"])

    def test_refuses_a_lazy_index_that_lacks_a_name(self):
        self.fake_package(lazy="Object.defineProperty(exports, 'provider', { get: () => require('./provider') });\n")
        self.assert_refused("only in lib/index.js: s3Bucket")

    def test_refuses_a_package_without_a_lazy_index(self):
        self.fake_package(lazy=None)
        self.assert_refused("lib/lazy-index.js is missing")

    def test_refuses_a_main_it_does_not_know(self):
        self.fake_package(main="dist/index.js")
        self.assert_refused('"main" is "dist/index.js", expected "lib/index.js"')

    def test_the_pinned_provider_lazy_index_matches_its_index(self):
        """The real @cdktf/provider-aws: its package.json copied, its lib linked (the script writes package.json only)."""
        os.makedirs(self.package)
        shutil.copy(os.path.join(PROVIDER, "package.json"), self.package)
        os.symlink(os.path.join(PROVIDER, "lib"), os.path.join(self.package, "lib"))
        result = self.run_script()
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertGreater(int(result.stdout), 2000, "every submodule of the provider was compared")
        self.assertEqual("lib/lazy-index.js", self.manifest()["main"])


if __name__ == "__main__":
    unittest.main()
