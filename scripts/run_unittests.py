#!/usr/bin/env python3
"""Discovers and runs the Python unittest suites under the given folders; the last line is
"python: N passed, N failed" for the test summary. Exit status 1 when anything failed or errored."""
import sys
import unittest


def main(folders):
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for folder in folders:
        suite.addTests(loader.discover(folder, pattern="test_*.py", top_level_dir=folder))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"python: {passed} passed, {failed} failed")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
