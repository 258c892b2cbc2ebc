#!/usr/bin/env python3
"""The local AWS stand-in (moto_server) for end-to-end runs: loopback only, free port, stopped on every exit path.

As a module: LocalAws() is a context manager; as a command:
  localaws.py override STACK_DIR ENDPOINT   writes the provider override and backend config beside a synthesized stack
  localaws.py exclusions STACK_DIR...       lists what the local profile leaves out of those stacks, and why
  localaws.py free-port                     prints a free TCP port on 127.0.0.1
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import overrides

HOST = "127.0.0.1"
# Every service the synthesized stacks call; each is pointed at the stand-in.
SERVICES = [
    "s3", "kms", "dynamodb", "iam", "sts", "logs", "cloudwatch", "ec2", "ecr", "sns", "sqs", "lambda", "glue",
    "sfn", "events", "scheduler", "sagemaker", "budgets", "apigateway", "apigatewayv2", "applicationautoscaling",
    "cloudtrail", "ssm",
]
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
# the exact error the provider reports against moto 5.2.1 (names from the dev stacks) and why. The synthesized stacks
# keep these resources; the mock-provider tests (tests/TerraformMockProviderTests.cs) and the offline plans still
# create them. Resources, data sources and outputs that refer to a left-out resource are left out with it and listed.
#
# moto answers an unimplemented action with an HTML 500 page; the provider (max_retries = 2 here) then reports this.
_MOTO_500 = ("exceeded maximum number of attempts, 2, https response error StatusCode: 500, RequestID: , "
             "deserialization failed, failed to decode response body, invalid character '<' looking for beginning of value")
_DENY_WITHOUT_CONDITIONS = ("moto applies every bucket-policy statement that has a Condition as a Deny, whatever the "
                            "condition, so the TLS-only and encryption-only statements deny all object requests")
LOCAL_EXCLUSIONS = [
    {
        "type": "aws_s3_bucket_policy",
        "path_suffix": "state-bucket/policy",
        "bootstrap_only": True,
        "error": "Error loading state: Unable to access object \"bootstrap/terraform.tfstate\" in S3 bucket "
                 "\"mlopstf-tfstate-111122223333-us-east-1\": operation error S3: HeadObject, https response error "
                 "StatusCode: 403, RequestID: , HostID: , api error Forbidden: Forbidden",
        "why": _DENY_WITHOUT_CONDITIONS + "; the S3 backend cannot read or write the state",
    },
    {
        "type": "aws_cloudtrail",
        "path_suffix": "audit-trail/trail",
        "bootstrap_only": True,
        "error": "starting CloudTrail Trail (arn:aws:cloudtrail:us-east-1:111122223333:trail/mlopstf-dev-audit) logging: "
                 "operation error CloudTrail: StartLogging, " + _MOTO_500,
        "why": "moto's StartLogging finds a trail by name only; the provider names it by ARN (AWS accepts both)",
    },
    {
        "type": "aws_s3_bucket_policy",
        "path_suffix": "artifacts-bucket/policy",
        "error": "uploading S3 Object (glue/scripts/preprocess.py) to Bucket (mlopstf-dev-artifacts-111122223333): "
                 "operation error S3: PutObject, https response error StatusCode: 403, RequestID: , HostID: , "
                 "api error Forbidden: Forbidden",
        "why": _DENY_WITHOUT_CONDITIONS,
    },
    {
        "type": "aws_sagemaker_domain",
        "path_suffix": "studio/domain",
        "error": "creating SageMaker AI Domain (): waiting for completion: operation error SageMaker: DescribeDomain, "
                 "https response error StatusCode: 400, RequestID: <id>, api error ValidationException: "
                 "Could not find domain ''.",
        "why": "the provider cannot take the new domain's id from moto's CreateDomain answer",
    },
    {
        "type": "aws_sagemaker_feature_group",
        "path_suffix": "",
        "error": "listing tags for SageMaker AI Feature Group (arn:aws:sagemaker:us-east-1:111122223333:feature-group/"
                 "mlopstf-dev-customer-activity): operation error SageMaker: ListTags, " + _MOTO_500,
        "why": "moto's ListTags does not know feature-group ARNs",
    },
    {
        "type": "aws_sagemaker_model_package_group",
        "path_suffix": "",
        "error": "deleting SageMaker AI Model Package Group (mlopstf-dev-churn): operation error SageMaker: "
                 "DeleteModelPackageGroup, " + _MOTO_500,
        "why": "DeleteModelPackageGroup is not implemented in moto: the group could be created but never destroyed",
    },
    {
        "type": "aws_sagemaker_model_package_group_policy",
        "path_suffix": "",
        "error": "creating SageMaker AI Model Package Group Policy mlopstf-dev-churn: operation error SageMaker: "
                 "PutModelPackageGroupPolicy, " + _MOTO_500,
        "why": "PutModelPackageGroupPolicy is not implemented in moto",
    },
    {
        "type": "aws_sfn_state_machine",
        "path_suffix": "",
        "error": "validating Step Functions State Machine definition: operation error SFN: "
                 "ValidateStateMachineDefinition, " + _MOTO_500,
        "why": "ValidateStateMachineDefinition is not implemented in moto; the provider calls it at plan time once "
               "the definition is known, so every plan after the first fails",
    },
    {
        "type": "aws_budgets_budget",
        "path_suffix": "",
        "error": "reading Budget (111122223333:mlopstf-dev-monthly) subscribers: operation error Budgets: "
                 "DescribeSubscribersForNotification, " + _MOTO_500,
        "why": "DescribeSubscribersForNotification is not implemented in moto",
    },
]


# Attributes the stand-in does not keep or answers differently, so that every plan would show a change. Terraform
# ignores changes to them in the local profile only (lifecycle.ignore_changes in the generated override); everything
# else about these resources is applied and checked.
LOCAL_QUIRKS = [
    {"type": "aws_sagemaker_model", "attributes": ["enable_network_isolation", "vpc_config"],
     "reason": "moto's CreateModel drops EnableNetworkIsolation; DescribeModel always answers false, and an empty "
               "VpcConfig for a model created without one (each a replacement)"},
    {"type": "aws_sagemaker_endpoint_configuration", "attributes": ["data_capture_config"],
     "reason": "moto answers an empty DataCaptureConfig for configurations without one (a replacement)"},
    {"type": "aws_lambda_function", "attributes": ["kms_key_arn", "dead_letter_config", "logging_config"],
     "reason": "moto's GetFunction does not return KMSKeyArn, DeadLetterConfig or LoggingConfig"},
    {"type": "aws_vpc_security_group_ingress_rule", "attributes": ["description"],
     "reason": "moto's DescribeSecurityGroupRules does not return the rule description"},
    {"type": "aws_vpc_security_group_egress_rule", "attributes": ["description"],
     "reason": "moto's DescribeSecurityGroupRules does not return the rule description"},
    {"type": "aws_glue_job", "attributes": ["execution_class"],
     "reason": "moto answers ExecutionClass STANDARD for jobs created without one"},
    {"type": "aws_glue_workflow", "attributes": ["tags", "tags_all"],
     "reason": "moto's GetTags does not know Glue workflow ARNs"},
]


def _reference(address):
    """Matches a reference to address inside an expression (not a longer address that ends with it)."""
    return re.compile(r"(?<![\w.\-])" + re.escape(address) + r"(?=[.\[])")


def _references(body, address):
    text = json.dumps(body)
    return bool(_reference(address).search(text)) or f'"{address}"' in text


def _blocks(config):
    """(address, block, type, name, body) of every resource and data source."""
    for block, prefix in (("resource", ""), ("data", "data.")):
        for rtype, named in config.get(block, {}).items():
            for name, body in named.items():
                yield f"{prefix}{rtype}.{name}", block, rtype, name, body


def excluded_resources(stack_dir):
    """(address, reason) for each LOCAL_EXCLUSIONS entry present in the synthesized stack, then for every resource
    or data source that refers to one of them (directly or through another left-out one)."""
    return _excluded(overrides.stack(stack_dir))


def _excluded(config):
    found = []
    for rule in LOCAL_EXCLUSIONS:
        for name, body in config.get("resource", {}).get(rule["type"], {}).items():
            if body.get("//", {}).get("metadata", {}).get("path", "").endswith(rule["path_suffix"]):
                found.append((f"{rule['type']}.{name}", f"{rule['error']} ({rule['why']})"))
    pending = [address for address, _ in found]
    seen = set(pending)
    while pending:
        address = pending.pop(0)
        for dependent, _, _, _, body in _blocks(config):
            if dependent not in seen and _references(body, address):
                found.append((dependent, f"refers to {address}, which is left out"))
                seen.add(dependent)
                pending.append(dependent)
    return found


LEFT_OUT_OUTPUT = "left out on the local AWS stand-in"


def _leave_out(config, left_out, override):
    """count = 0 for every left-out resource and data source, quirks ignored on the others, outputs that name a
    left-out resource replaced by LEFT_OUT_OUTPUT (not null: Terraform keeps no null output, and cdktf deploy then
    fails printing the outputs its stack metadata names)."""
    for address, block, rtype, name, original in _blocks(config):
        if address not in left_out:
            continue
        body = {"count": 0}
        # A reference to a resource with count must name an instance, even from a resource that has none.
        for key, value in original.items():
            text = json.dumps(value)
            if key not in ("//", "depends_on") and any(_reference(a).search(text) for a in left_out):
                for a in left_out:
                    text = _reference(a).sub(lambda m: m.group(0) + "[0]", text)
                body[key] = json.loads(text)
        override.setdefault(block, {}).setdefault(rtype, {})[name] = body
    for quirk in LOCAL_QUIRKS:
        for name, original in config.get("resource", {}).get(quirk["type"], {}).items():
            if f"{quirk['type']}.{name}" in left_out:
                continue
            lifecycle = dict(original.get("lifecycle", {}))
            if lifecycle.get("ignore_changes") != "all":
                lifecycle["ignore_changes"] = list(lifecycle.get("ignore_changes", [])) + quirk["attributes"]
            override.setdefault("resource", {}).setdefault(quirk["type"], {}).setdefault(name, {})["lifecycle"] = lifecycle
    for name, body in config.get("output", {}).items():
        if any(_references(body, address) for address in left_out):
            override.setdefault("output", {})[name] = {"value": LEFT_OUT_OUTPUT}


def write_override(stack_dir, endpoint):
    """Points the stack's AWS provider (the localaws override) and S3 backend (BACKEND_CONFIG) at the stand-in, and
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
    config = overrides.stack(stack_dir)
    excluded = _excluded(config)
    override = {"provider": {"aws": [provider]}}
    _leave_out(config, [address for address, _ in excluded], override)
    # Commands a provisioner runs (the AWS CLI) go to the stand-in too.
    left_out = lambda rtype, name: isinstance(override.get("resource", {}).get(rtype, {}).get(name, {}).get("count"), int)  # noqa: E731
    overrides.merge_resources(override, overrides.local_exec(config, extra_env={"AWS_ENDPOINT_URL": endpoint}), skip=left_out)
    overrides.write(stack_dir, "localaws", override)
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
        return client(self.endpoint, service, region)


def client(endpoint, service, region="us-east-1"):
    """A boto3 client of the stand-in at endpoint, with the dummy credentials."""
    import boto3
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "override":
        for address, reason in write_override(sys.argv[2], sys.argv[3]):
            print(f"left out locally: {address}: {reason}")
    elif len(sys.argv) == 2 and sys.argv[1] == "free-port":
        print(free_port())
    elif len(sys.argv) >= 3 and sys.argv[1] == "exclusions":
        for stack_dir in sys.argv[2:]:
            for address, reason in excluded_resources(stack_dir):
                print(f"{os.path.basename(stack_dir)}: {address}: {reason}")
        for quirk in LOCAL_QUIRKS:
            print(f"changes ignored on every {quirk['type']}: {', '.join(quirk['attributes'])}: {quirk['reason']}")
    else:
        sys.exit(__doc__)
