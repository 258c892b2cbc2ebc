import os
import sys
import unittest
from datetime import datetime, timezone
from pathlib import Path
from unittest import mock

import boto3
from botocore.stub import Stubber
from moto import mock_aws

HANDLER_DIR = str(Path(__file__).resolve().parent.parent / "model_evaluation")
if HANDLER_DIR not in sys.path:
    sys.path.insert(0, HANDLER_DIR)

import model_evaluation  # noqa: E402

JOB = "xgb-2024-01-01-00-00-00"
ARTIFACTS = f"s3://mlops-models/output/{JOB}/output/model.tar.gz"


def describe_response(status="Completed", metrics=(("validation:auc", 0.91), ("train:auc", 0.97))):
    """A DescribeTrainingJob response with every member the botocore output shape requires."""
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return {
        "TrainingJobName": JOB,
        "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{JOB}",
        "ModelArtifacts": {"S3ModelArtifacts": ARTIFACTS},
        "TrainingJobStatus": status,
        "SecondaryStatus": "Completed" if status == "Completed" else "Training",
        "AlgorithmSpecification": {"TrainingImage": "xgboost:1.7", "TrainingInputMode": "File"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "CreationTime": now,
        "FinalMetricDataList": [{"MetricName": n, "Value": v, "Timestamp": now} for n, v in metrics],
    }


class EnvironmentMixin:
    def set_environment(self, **config):
        values = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SECURITY_TOKEN": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        environment = mock.patch.dict(os.environ, values)
        environment.start()
        self.addCleanup(environment.stop)
        for name in ("METRIC_NAME", "METRIC_GOAL", "THRESHOLD", "AWS_PROFILE"):
            os.environ.pop(name, None)
        os.environ.update(config)
        model_evaluation.sagemaker_client.cache_clear()
        self.addCleanup(model_evaluation.sagemaker_client.cache_clear)


class StubbedEvaluationTests(EnvironmentMixin, unittest.TestCase):
    """Responses are stubbed on a real client, so botocore still validates request and response."""

    def setUp(self):
        self.set_environment(METRIC_NAME="validation:auc", THRESHOLD="0.9")
        self.client = boto3.client("sagemaker", region_name="us-east-1")
        self.stubber = Stubber(self.client)
        self.stubber.activate()
        self.addCleanup(self.stubber.deactivate)
        patcher = mock.patch.object(model_evaluation, "sagemaker_client", return_value=self.client)
        patcher.start()
        self.addCleanup(patcher.stop)

    def expect_describe(self, **response):
        self.stubber.add_response("describe_training_job", describe_response(**response), {"TrainingJobName": JOB})

    def evaluate(self):
        result = model_evaluation.handler({"training_job_name": JOB}, None)
        self.stubber.assert_no_pending_responses()
        return result

    def test_maximize_passes_when_value_reaches_threshold(self):
        self.expect_describe()

        self.assertEqual(
            self.evaluate(),
            {
                "training_job_name": JOB,
                "metric_name": "validation:auc",
                "metric_value": 0.91,
                "threshold": 0.9,
                "goal": "maximize",
                "passed": True,
                "model_artifacts": ARTIFACTS,
            },
        )

    def test_maximize_passes_on_equality(self):
        self.expect_describe(metrics=[("validation:auc", 0.9)])

        self.assertIs(self.evaluate()["passed"], True)

    def test_maximize_fails_below_threshold(self):
        os.environ["THRESHOLD"] = "0.95"
        self.expect_describe()

        result = self.evaluate()

        self.assertIs(result["passed"], False)
        self.assertEqual((result["metric_value"], result["threshold"]), (0.91, 0.95))

    def test_minimize_passes_below_threshold(self):
        os.environ.update({"METRIC_NAME": "validation:rmse", "METRIC_GOAL": "minimize", "THRESHOLD": "2.5"})
        self.expect_describe(metrics=[("validation:rmse", 2.1)])

        result = self.evaluate()

        self.assertEqual((result["goal"], result["metric_value"], result["passed"]), ("minimize", 2.1, True))

    def test_minimize_fails_above_threshold(self):
        os.environ.update({"METRIC_NAME": "validation:rmse", "METRIC_GOAL": "Minimize", "THRESHOLD": "2"})
        self.expect_describe(metrics=[("validation:rmse", 2.1)])

        result = self.evaluate()

        self.assertEqual((result["goal"], result["threshold"], result["passed"]), ("minimize", 2.0, False))

    def test_job_not_completed_raises_with_status(self):
        self.expect_describe(status="Failed")

        with self.assertRaisesRegex(model_evaluation.EvaluationError, f"training job {JOB} is Failed, not Completed"):
            self.evaluate()

    def test_missing_metric_lists_available_names(self):
        os.environ["METRIC_NAME"] = "validation:f1"
        self.expect_describe()

        with self.assertRaises(model_evaluation.EvaluationError) as raised:
            self.evaluate()

        self.assertEqual(
            str(raised.exception),
            f"metric validation:f1 not reported by training job {JOB}; available metrics: validation:auc, train:auc",
        )

    def test_no_metrics_at_all_says_none(self):
        self.expect_describe(metrics=[])

        with self.assertRaisesRegex(model_evaluation.EvaluationError, "available metrics: none$"):
            self.evaluate()

    def test_nan_metric_is_refused(self):
        self.expect_describe(metrics=[("validation:auc", float("nan"))])

        with self.assertRaisesRegex(model_evaluation.EvaluationError, "validation:auc .* is nan"):
            self.evaluate()


class ConfigurationTests(EnvironmentMixin, unittest.TestCase):
    """Bad input fails before any AWS call: the client factory must not be reached."""

    def setUp(self):
        self.set_environment(METRIC_NAME="validation:auc", THRESHOLD="0.9")
        patcher = mock.patch.object(
            model_evaluation, "sagemaker_client", side_effect=AssertionError("no AWS call expected")
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_missing_training_job_name(self):
        for event in ({}, None, {"training_job_name": ""}):
            with self.subTest(event=event):
                with self.assertRaisesRegex(ValueError, "training_job_name"):
                    model_evaluation.handler(event, None)

    def test_missing_or_invalid_settings(self):
        cases = [
            ({"METRIC_NAME": ""}, "METRIC_NAME"),
            ({"THRESHOLD": ""}, "THRESHOLD"),
            ({"THRESHOLD": "high"}, "THRESHOLD"),
            ({"THRESHOLD": "inf"}, "THRESHOLD"),
            ({"METRIC_GOAL": "best"}, "METRIC_GOAL"),
        ]
        for overrides, variable in cases:
            with self.subTest(overrides=overrides), mock.patch.dict(os.environ, overrides):
                with self.assertRaisesRegex(ValueError, variable):
                    model_evaluation.handler({"training_job_name": JOB}, None)


class MotoEvaluationTests(EnvironmentMixin, unittest.TestCase):
    """End to end through the real client factory against moto, which completes every job at once
    and reports only the metric train:progress = 100.0."""

    def setUp(self):
        self.set_environment(METRIC_NAME="train:progress", THRESHOLD="99.5")
        aws = mock_aws()
        aws.start()
        self.addCleanup(aws.stop)
        boto3.client("sagemaker").create_training_job(
            TrainingJobName=JOB,
            AlgorithmSpecification={"TrainingImage": "xgboost:1.7", "TrainingInputMode": "File"},
            RoleArn="arn:aws:iam::123456789012:role/sagemaker-training",
            OutputDataConfig={"S3OutputPath": "s3://mlops-models/output"},
            ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
            StoppingCondition={"MaxRuntimeInSeconds": 3600},
        )

    def test_reads_metric_and_artifacts_of_a_completed_job(self):
        result = model_evaluation.handler({"training_job_name": JOB}, None)

        self.assertEqual((result["metric_value"], result["passed"]), (100.0, True))
        self.assertEqual(result["model_artifacts"], f"s3://mlops-models/output/{JOB}/output/model.tar.gz")

    def test_missing_metric_lists_what_the_job_reported(self):
        os.environ["METRIC_NAME"] = "validation:auc"

        with self.assertRaisesRegex(model_evaluation.EvaluationError, "available metrics: train:progress$"):
            model_evaluation.handler({"training_job_name": JOB}, None)


if __name__ == "__main__":
    unittest.main()
