#!/usr/bin/env python3
"""The local AWS stand-in (moto_server) for end-to-end runs: loopback only, free port, stopped on every exit path.

As a module: LocalAws() is a context manager; as a command:
  localaws.py override STACK_DIR ENDPOINT   writes the provider override and backend config beside a synthesized stack
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

HOST = "127.0.0.1"
# Every service the synthesized stacks call; each is pointed at the stand-in.
SERVICES = [
    "s3", "kms", "dynamodb", "iam", "sts", "logs", "cloudwatch", "ec2", "ecr", "sns", "sqs", "lambda", "glue",
    "sfn", "events", "scheduler", "sagemaker", "budgets", "apigateway", "apigatewayv2", "applicationautoscaling",
]
PROVIDER_OVERRIDE = "localaws_override.tf.json"
BACKEND_CONFIG = "localaws.s3.tfbackend"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def credentials_env(region="us-east-1"):
    """Dummy credentials through the environment, never in the synthesized JSON."""
    return {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


# What the stand-in cannot run, left out of the local profile only (count = 0 in the generated override), each with
# the error it gives. The synthesized stacks keep these resources; mock-provider tests and plans still cover them.
LOCAL_EXCLUSIONS = [
    {
        "type": "aws_s3_bucket_policy",
        "path_suffix": "state-bucket/policy",
        "reason": "moto evaluates bucket-policy Deny statements without their conditions, so the TLS-only policy "
                  "denies every request to the state bucket over the stand-in's plain HTTP "
                  "(HeadObject: 403 Forbidden), which would block the S3 backend",
    },
]


def excluded_resources(stack_dir):
    """(address, reason) for each LOCAL_EXCLUSIONS entry present in the synthesized stack."""
    with open(os.path.join(stack_dir, "cdk.tf.json")) as f:
        resources = json.load(f).get("resource", {})
    found = []
    for rule in LOCAL_EXCLUSIONS:
        for name, body in resources.get(rule["type"], {}).items():
            if body.get("//", {}).get("metadata", {}).get("path", "").endswith(rule["path_suffix"]):
                found.append((f"{rule['type']}.{name}", rule["reason"]))
    return found


def write_override(stack_dir, endpoint):
    """Points the stack's AWS provider and S3 backend at the stand-in, beside the synthesized JSON (never in it), and
    leaves out the listed exclusions. Returns the excluded (address, reason) pairs."""
    assert endpoint.startswith(f"http://{HOST}:"), f"refusing a non-loopback endpoint: {endpoint}"
    provider = {
        "skip_credentials_validation": True,
        "skip_metadata_api_check": "true",
        "skip_region_validation": True,
        "skip_requesting_account_id": False,
        "s3_use_path_style": True,
        # The stand-in answers 500 for what it cannot do; fail fast instead of retrying for minutes.
        "max_retries": 2,
        "endpoints": [{service: endpoint for service in SERVICES}],
    }
    excluded = excluded_resources(stack_dir)
    override = {"provider": {"aws": [provider]}}
    for address, _ in excluded:
        rtype, name = address.split(".", 1)
        override.setdefault("resource", {}).setdefault(rtype, {})[name] = {"count": 0}
    with open(os.path.join(stack_dir, PROVIDER_OVERRIDE), "w") as f:
        json.dump(override, f, indent=2)
    with open(os.path.join(stack_dir, BACKEND_CONFIG), "w") as f:
        f.write(
            f'endpoints = {{\n  s3 = "{endpoint}"\n  dynamodb = "{endpoint}"\n  sts = "{endpoint}"\n  iam = "{endpoint}"\n}}\n'
            "use_path_style = true\nskip_credentials_validation = true\nskip_metadata_api_check = true\n"
            "skip_region_validation = true\nskip_requesting_account_id = true\n"
        )
    return excluded


class LocalAws:
    """moto_server on 127.0.0.1:<free port> for one account; started on enter, stopped (and reaped) on exit."""

    def __init__(self, account_id, log_path=None):
        self.account_id = account_id
        self.port = free_port()
        self.endpoint = f"http://{HOST}:{self.port}"
        self.log_path = log_path or os.devnull
        self.process = None

    def __enter__(self):
        env = dict(os.environ, MOTO_ACCOUNT_ID=self.account_id, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            ["moto_server", "-H", HOST, "-p", str(self.port)], env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.process.returncode}; see {self.log_path}")
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"moto_server did not answer on {self.endpoint} within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

    def __exit__(self, *exc):
        self.stop()
        return False

    def client(self, service, region="us-east-1"):
        import boto3
        return boto3.client(service, endpoint_url=self.endpoint, region_name=region,
                            aws_access_key_id="test", aws_secret_access_key="test")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "override":
        for address, reason in write_override(sys.argv[2], sys.argv[3]):
            print(f"left out locally: {address}: {reason}")
    else:
        sys.exit(__doc__)
