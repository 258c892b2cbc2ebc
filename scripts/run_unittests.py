#!/usr/bin/env python3
"""Discovers the Python unittest modules under the given folders and runs them, several modules at a time in
separate processes (the end-to-end modules mostly wait on the local AWS stand-in). Prints each module's output, then
a last line "python: N passed, N failed". Exit status 1 when anything failed or errored, or nothing ran."""
import concurrent.futures
import json
import os
import subprocess
import sys
import unittest

WORKER = r"""
import json, sys, unittest
folder, name = sys.argv[1], sys.argv[2]
sys.path.insert(0, folder)
suite = unittest.TestLoader().loadTestsFromName(name)
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
print("RESULT " + json.dumps({"run": result.testsRun, "failed": failed, "skipped": len(result.skipped)}))
"""


def modules(folder):
    names = []
    for dirpath, _, files in os.walk(folder):
        for f in sorted(files):
            if f.startswith("test_") and f.endswith(".py"):
                rel = os.path.relpath(os.path.join(dirpath, f[:-3]), folder)
                names.append(rel.replace(os.sep, "."))
    return [(folder, n) for n in sorted(names)]


def run(folder, name):
    proc = subprocess.run([sys.executable, "-c", WORKER, folder, name], capture_output=True, text=True)
    result = {"run": 0, "failed": 1, "skipped": 0}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
    if proc.returncode != 0 and result["failed"] == 0:
        result["failed"] = 1
    return name, proc.stdout + proc.stderr, result


def main(folders):
    jobs = [m for folder in folders for m in modules(os.path.abspath(folder))]
    passed = failed = 0
    workers = int(os.environ.get("PYTHON_TEST_WORKERS", "3"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for name, output, result in pool.map(lambda j: run(*j), jobs):
            print(f"=== {name}")
            print(output.rstrip())
            passed += result["run"] - result["failed"] - result["skipped"]
            failed += result["failed"]
    print(f"python: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
