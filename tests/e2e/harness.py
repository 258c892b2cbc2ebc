"""Shared set-up for the end-to-end tests: the built app synthesized into a temporary directory, and terraform runs
through the project's scripts against the local AWS stand-in."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import localaws  # noqa: E402  (scripts/ is not a package)
import overrides  # noqa: E402



def lib_value(name):
    """A value scripts/lib.sh computes (the one place it is computed): inherited when a script exported it, else asked of lib.sh."""
    if os.environ.get(name):
        return os.environ[name]
    script = f'source "$1" >/dev/null 2>&1; printf %s "${{{name}:-}}"'
    return subprocess.run(["bash", "-c", script, "_", os.path.join(ROOT, "scripts", "lib.sh")],
                          capture_output=True, text=True, check=True).stdout


APP_DLL = lib_value("MLOPSTF_APP_DLL")


def synth(outdir):
    """Runs the built app exactly as `make synth` does, into outdir."""
    if not os.path.exists(APP_DLL):
        raise RuntimeError(f"{APP_DLL} is missing; build first (make build)")
    env = dict(os.environ, CDKTF_OUTDIR=outdir)
    subprocess.run(["dotnet", APP_DLL], env=env, check=True, capture_output=True, text=True)
    return os.path.join(outdir, "stacks")


def synthesized_stacks(workdir):
    """The stacks xunit synthesized in this make test run (MLOPSTF_TEST_SYNTH_DIR), else a synth into workdir."""
    shared = os.path.join(os.environ.get("MLOPSTF_TEST_SYNTH_DIR", ""), "stacks")
    if os.environ.get("MLOPSTF_TEST_SYNTH_DIR") and os.path.isfile(os.path.join(shared, "staging", "cdk.tf.json")):
        return shared
    return synth(os.path.join(workdir, "out"))


def stack_copy(workdir, stack):
    """One stack of this run's synth (synthesized_stacks) in a folder of its own, workdir/out/stacks/<stack>, without
    terraform's working files: for tests that write overrides beside it or edit its JSON."""
    source = os.path.join(synthesized_stacks(workdir), stack)
    target = os.path.join(workdir, "out", "stacks", stack)
    if os.path.abspath(source) != os.path.abspath(target):
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl"))
    return target


def stack_json(stacks_dir, stack):
    with open(os.path.join(stacks_dir, stack, "cdk.tf.json")) as f:
        return json.load(f)


def run(cmd, env, cwd=ROOT, check=True, timeout=900):
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise failure(cmd, result)
    return result


def failure(cmd, result):
    """The assertion a failed command raises: the command, its exit code and the tails of its output."""
    return AssertionError(f"{' '.join(cmd)} exited {result.returncode}\nstdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-4000:]}")


def new_workdir(prefix):
    return tempfile.mkdtemp(prefix=prefix)


def terraform_env():
    """The Terraform CLI environment (TF_CLI_CONFIG_FILE) that scripts/lib.sh's use_tf_mirror computes, the one place
    the provider mirror is looked up: inherited when a script already ran it (MLOPSTF_TF_CLI_CONFIG), else asked of
    lib.sh. Empty when no mirror is found (terraform then uses its own configuration)."""
    path = os.environ.get("MLOPSTF_TF_CLI_CONFIG")
    if path is None:
        path = subprocess.run(["bash", "-c", 'source "$1" && use_tf_mirror 2>/dev/null; printf %s "$MLOPSTF_TF_CLI_CONFIG"', "_",
                               os.path.join(ROOT, "scripts", "lib.sh")], capture_output=True, text=True, check=True).stdout
    return {"TF_CLI_CONFIG_FILE": path} if path else {}


class DevDataBucketOnLocalAws:
    """The dev stack synthesized into a fresh work folder and its data bucket applied alone (-target) to the local
    AWS stand-in, with state in a local file: the fixture for plan-guard and drift tests on real plans."""

    def __init__(self, prefix, account="111122223333"):
        self.work = new_workdir(prefix)
        self.out = os.path.join(self.work, "out")
        self.dir = stack_copy(self.work, "dev")
        self.config_path = os.path.join(self.dir, "cdk.tf.json")
        with open(self.config_path) as f:
            self.config = json.load(f)
        self.name = next(name for name, body in self.config["resource"]["aws_s3_bucket"].items()
                         if body["//"]["metadata"]["path"].endswith("data-bucket/bucket"))
        self.address = f"aws_s3_bucket.{self.name}"
        self.bucket = self.config["resource"]["aws_s3_bucket"][self.name]["bucket"]
        self.aws = localaws.LocalAws(account, os.path.join(self.work, "moto.log")).__enter__()
        try:
            localaws.write_override(self.dir, self.aws.endpoint)
            overrides.write(self.dir, "local_state", overrides.local_state(os.path.join(self.work, "dev.tfstate")))
            self.env = dict(os.environ, **localaws.credentials_env(), **terraform_env(), CDKTF_OUTDIR=self.out, TF_IN_AUTOMATION="1")
            self.apply()
        except Exception:
            self.close()
            raise

    def tf(self, *args):
        return run(["terraform", f"-chdir={self.dir}", *args], self.env)

    def apply(self):
        self.tf("init", "-input=false", "-reconfigure")
        self.tf("apply", "-input=false", "-auto-approve", f"-target={self.address}")

    def close(self):
        self.aws.stop()
        shutil.rmtree(self.work, ignore_errors=True)
