import os
import sys
import unittest
from pathlib import Path
from unittest import mock

import boto3
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto import mock_aws

HANDLER_DIR = str(Path(__file__).resolve().parent.parent / "endpoint_cleanup")
if HANDLER_DIR not in sys.path:
    sys.path.insert(0, HANDLER_DIR)

import endpoint_cleanup  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_test_environment import use_dummy_aws  # noqa: E402

CONFIG_VARIABLES = ("ENVIRONMENT", "TAG_KEY", "TAG_VALUE", "DRY_RUN")
OPT_IN = {"Key": "mlopstf:auto-cleanup", "Value": "true"}
ROLE_ARN = "arn:aws:iam::123456789012:role/sagemaker-execution"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest"


def env_tag(environment):
    return {"Key": "Environment", "Value": environment}


def arn(name):
    return f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{name}"


def summary(name, status="InService"):
    return {
        "EndpointName": name,
        "EndpointArn": arn(name),
        "CreationTime": "2024-01-01T00:00:00Z",
        "LastModifiedTime": "2024-01-01T00:00:00Z",
        "EndpointStatus": status,
    }


class CleanupTestCase(unittest.TestCase):
    def setUp(self):
        use_dummy_aws(self, CONFIG_VARIABLES)
        os.environ["ENVIRONMENT"] = "dev"
        # The handler caches its client; each test needs one created inside its own mock.
        endpoint_cleanup.sagemaker_client.cache_clear()
        self.addCleanup(endpoint_cleanup.sagemaker_client.cache_clear)

    def run_handler(self):
        with self.assertLogs(endpoint_cleanup.logger, level="INFO") as logs:
            result = endpoint_cleanup.handler({}, None)
        self.logs = "\n".join(logs.output)
        return result


class EndpointCleanupMotoTests(CleanupTestCase):
    def setUp(self):
        super().setUp()
        aws = mock_aws()
        aws.start()
        self.addCleanup(aws.stop)
        self.sm = boto3.client("sagemaker")
        self.sm.create_model(
            ModelName="model", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": IMAGE}
        )

    def create_endpoint(self, name, tags):
        self.sm.create_endpoint_config(
            EndpointConfigName=f"{name}-config",
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": "model",
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.t2.medium",
                }
            ],
        )
        self.sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config", Tags=tags)

    def create_mixed_endpoints(self):
        self.create_endpoint("dev-a", [env_tag("dev"), OPT_IN])
        self.create_endpoint("dev-b", [OPT_IN, {"Key": "Project", "Value": "mlops"}, env_tag("dev")])
        self.create_endpoint("dev-kept", [env_tag("dev")])
        self.create_endpoint("dev-opted-out", [env_tag("dev"), {"Key": OPT_IN["Key"], "Value": "false"}])
        self.create_endpoint("dev-wrong-case", [{"Key": "environment", "Value": "dev"}, OPT_IN])
        self.create_endpoint("prod-main", [env_tag("prod"), OPT_IN])
        self.create_endpoint("untagged", [])

    def endpoint_names(self):
        return sorted(e["EndpointName"] for e in self.sm.list_endpoints(MaxResults=100)["Endpoints"])

    def test_deletes_only_opted_in_endpoints_of_the_environment(self):
        self.create_mixed_endpoints()

        result = self.run_handler()

        self.assertEqual(
            result,
            {
                "environment": "dev",
                "dry_run": False,
                "deleted": ["dev-a", "dev-b"],
                "skipped": ["dev-kept", "dev-opted-out", "dev-wrong-case", "prod-main", "untagged"],
                "failed": [],
            },
        )
        self.assertEqual(
            self.endpoint_names(), ["dev-kept", "dev-opted-out", "dev-wrong-case", "prod-main", "untagged"]
        )
        self.assertIn("deleted endpoint dev-a", self.logs)

    def test_endpoint_configurations_and_models_are_kept(self):
        self.create_mixed_endpoints()

        self.run_handler()

        configs = sorted(c["EndpointConfigName"] for c in self.sm.list_endpoint_configs()["EndpointConfigs"])
        self.assertIn("dev-a-config", configs)
        self.assertIn("dev-b-config", configs)
        self.assertEqual(len(configs), 7)
        self.assertEqual([m["ModelName"] for m in self.sm.list_models()["Models"]], ["model"])

    def test_dry_run_deletes_nothing_and_reports_candidates(self):
        self.create_mixed_endpoints()
        before = self.endpoint_names()
        for value in ("true", "TRUE", "1", " Yes "):
            with self.subTest(value=value), mock.patch.dict(os.environ, {"DRY_RUN": value}):
                result = self.run_handler()

                self.assertTrue(result["dry_run"])
                self.assertEqual(result["deleted"], ["dev-a", "dev-b"])
                self.assertEqual(self.endpoint_names(), before)
                self.assertIn("dry run: would delete endpoint dev-a", self.logs)

    def test_other_dry_run_values_mean_false(self):
        self.create_endpoint("dev-a", [env_tag("dev"), OPT_IN])

        with mock.patch.dict(os.environ, {"DRY_RUN": "no"}):
            result = self.run_handler()

        self.assertFalse(result["dry_run"])
        self.assertEqual(self.endpoint_names(), [])

    def test_environment_and_tag_settings_select_the_endpoints(self):
        self.create_mixed_endpoints()
        self.create_endpoint("prod-nightly", [env_tag("prod"), {"Key": "cleanup", "Value": "yes"}])
        os.environ.update({"ENVIRONMENT": "prod", "TAG_KEY": "cleanup", "TAG_VALUE": "yes"})

        result = self.run_handler()

        self.assertEqual((result["environment"], result["deleted"]), ("prod", ["prod-nightly"]))
        self.assertIn("prod-main", self.endpoint_names())
        self.assertNotIn("prod-nightly", self.endpoint_names())

    def test_every_page_of_endpoints_is_read(self):
        for index in range(5):
            self.create_endpoint(f"dev-{index}", [env_tag("dev"), OPT_IN])
        self.create_endpoint("prod-0", [env_tag("prod"), OPT_IN])
        calls = []
        client = endpoint_cleanup.sagemaker_client()
        client.meta.events.register(
            "before-parameter-build.sagemaker.ListEndpoints", lambda params, **_: calls.append(dict(params))
        )

        with mock.patch.object(endpoint_cleanup, "LIST_PAGE_SIZE", 2):
            result = self.run_handler()

        self.assertEqual(result["deleted"], [f"dev-{index}" for index in range(5)])
        self.assertEqual(result["skipped"], ["prod-0"])
        self.assertEqual(len(calls), 3)
        self.assertEqual([call["MaxResults"] for call in calls], [2, 2, 2])
        self.assertNotIn("NextToken", calls[0])
        self.assertIn("NextToken", calls[1])
        self.assertEqual(self.endpoint_names(), ["prod-0"])

    def test_delete_failure_is_reported_after_the_others_are_deleted(self):
        self.create_endpoint("dev-a", [env_tag("dev"), OPT_IN])
        self.create_endpoint("dev-broken", [env_tag("dev"), OPT_IN])
        self.create_endpoint("dev-c", [env_tag("dev"), OPT_IN])
        client = endpoint_cleanup.sagemaker_client()
        real_delete = client.delete_endpoint

        def delete(**kwargs):
            if kwargs["EndpointName"] == "dev-broken":
                raise ClientError(
                    {"Error": {"Code": "ValidationException", "Message": "Cannot update in-progress endpoint"}},
                    "DeleteEndpoint",
                )
            return real_delete(**kwargs)

        with mock.patch.object(client, "delete_endpoint", side_effect=delete):
            with self.assertLogs(endpoint_cleanup.logger, level="ERROR") as logs:
                with self.assertRaises(endpoint_cleanup.CleanupError) as raised:
                    endpoint_cleanup.handler({}, None)

        error = raised.exception
        self.assertEqual(
            error.errors,
            {"dev-broken": "delete_endpoint failed: ValidationException: Cannot update in-progress endpoint"},
        )
        self.assertIn("dev-broken", str(error))
        self.assertIn("1 endpoint(s)", str(error))
        self.assertEqual(error.result["deleted"], ["dev-a", "dev-c"])
        self.assertEqual(error.result["failed"], ["dev-broken"])
        self.assertIn("cannot delete endpoint dev-broken", "\n".join(logs.output))
        self.assertEqual(self.endpoint_names(), ["dev-broken"])

    def test_tag_read_failure_is_reported_and_does_not_stop_the_run(self):
        self.create_endpoint("dev-a", [env_tag("dev"), OPT_IN])
        self.create_endpoint("dev-b", [env_tag("dev"), OPT_IN])
        client = endpoint_cleanup.sagemaker_client()

        def deny_tags_of_a(params, **_):
            if params["ResourceArn"].endswith("/dev-a"):
                raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "denied"}}, "ListTags")

        client.meta.events.register("before-parameter-build.sagemaker.ListTags", deny_tags_of_a)

        with self.assertLogs(endpoint_cleanup.logger, level="ERROR") as logs:
            with self.assertRaises(endpoint_cleanup.CleanupError) as raised:
                endpoint_cleanup.handler({}, None)

        self.assertEqual(raised.exception.errors, {"dev-a": "list_tags failed: AccessDeniedException: denied"})
        self.assertIn("cannot read the tags of endpoint dev-a", "\n".join(logs.output))
        self.assertEqual(raised.exception.result["deleted"], ["dev-b"])
        self.assertEqual(self.endpoint_names(), ["dev-a"])

    def test_no_endpoints(self):
        result = self.run_handler()

        self.assertEqual(result, {"environment": "dev", "dry_run": False, "deleted": [], "skipped": [], "failed": []})


class EndpointCleanupStubberTests(CleanupTestCase):
    """Exact API calls: NextToken paging, many tag pages, and statuses moto cannot produce."""

    def setUp(self):
        super().setUp()
        self.client = boto3.client("sagemaker")
        self.stubber = Stubber(self.client)
        self.stubber.activate()
        self.addCleanup(self.stubber.deactivate)
        factory = mock.patch.object(endpoint_cleanup, "sagemaker_client", return_value=self.client)
        factory.start()
        self.addCleanup(factory.stop)

    def expect_list(self, summaries, next_token=None, token=None):
        response = {"Endpoints": summaries}
        if next_token:
            response["NextToken"] = next_token
        expected = {"MaxResults": 100}
        if token:
            expected["NextToken"] = token
        self.stubber.add_response("list_endpoints", response, expected)

    def expect_tags(self, name, tags, next_token=None, token=None):
        response = {"Tags": tags}
        if next_token:
            response["NextToken"] = next_token
        expected = {"ResourceArn": arn(name)}
        if token:
            expected["NextToken"] = token
        self.stubber.add_response("list_tags", response, expected)

    def test_pages_of_endpoints_and_tags_are_followed_and_deleting_endpoints_skipped(self):
        self.expect_list([summary("dev-a"), summary("dev-going", status="Deleting")], next_token="page-2")
        self.expect_list([summary("dev-b", status="Failed")], next_token="page-3", token="page-2")
        self.expect_list([summary("prod-a")], token="page-3")
        self.expect_tags("dev-a", [env_tag("dev")], next_token="tags-2")
        self.expect_tags("dev-a", [OPT_IN], token="tags-2")
        self.stubber.add_response("delete_endpoint", {}, {"EndpointName": "dev-a"})
        self.expect_tags("dev-b", [env_tag("dev"), OPT_IN])
        self.stubber.add_response("delete_endpoint", {}, {"EndpointName": "dev-b"})
        self.expect_tags("prod-a", [env_tag("prod"), OPT_IN])

        result = self.run_handler()

        self.assertEqual(result["deleted"], ["dev-a", "dev-b"])
        self.assertEqual(result["skipped"], ["dev-going", "prod-a"])
        self.assertIn("skipping endpoint dev-going: status Deleting", self.logs)
        self.stubber.assert_no_pending_responses()

    def test_dry_run_calls_no_delete(self):
        os.environ["DRY_RUN"] = "yes"
        self.expect_list([summary("dev-a")])
        self.expect_tags("dev-a", [env_tag("dev"), OPT_IN])
        # A delete_endpoint call would find no stubbed response and raise.

        result = self.run_handler()

        self.assertEqual((result["dry_run"], result["deleted"]), (True, ["dev-a"]))
        self.stubber.assert_no_pending_responses()

    def test_delete_failure_from_the_service_raises_cleanup_error(self):
        self.expect_list([summary("dev-a"), summary("dev-b")])
        self.expect_tags("dev-a", [env_tag("dev"), OPT_IN])
        self.stubber.add_client_error(
            "delete_endpoint", "ValidationException", "Could not find endpoint", 400,
            expected_params={"EndpointName": "dev-a"},
        )
        self.expect_tags("dev-b", [env_tag("dev"), OPT_IN])
        self.stubber.add_response("delete_endpoint", {}, {"EndpointName": "dev-b"})

        with self.assertLogs(endpoint_cleanup.logger, level="ERROR"):
            with self.assertRaisesRegex(
                endpoint_cleanup.CleanupError, "dev-a: delete_endpoint failed: ValidationException"
            ):
                endpoint_cleanup.handler({}, None)

        self.stubber.assert_no_pending_responses()


class EndpointCleanupConfigTests(CleanupTestCase):
    def test_missing_environment_raises_value_error(self):
        factory = mock.Mock(side_effect=AssertionError("no AWS call expected"))
        for value in (None, "", "   "):
            with self.subTest(value=value), mock.patch.object(endpoint_cleanup, "sagemaker_client", factory):
                if value is None:
                    os.environ.pop("ENVIRONMENT", None)
                else:
                    os.environ["ENVIRONMENT"] = value
                with self.assertRaisesRegex(ValueError, "ENVIRONMENT"):
                    endpoint_cleanup.handler({}, None)
        factory.assert_not_called()

    def test_empty_tag_key_raises_value_error(self):
        os.environ["TAG_KEY"] = " "

        with self.assertRaisesRegex(ValueError, "TAG_KEY"):
            endpoint_cleanup.handler({}, None)


if __name__ == "__main__":
    unittest.main()
