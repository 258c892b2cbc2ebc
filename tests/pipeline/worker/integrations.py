"""Stand-ins for the services the state machine's Task states call, answering as the AWS APIs do.

Lambda tasks run the real handler. Glue, SageMaker training and SNS answer from the scenario's outcome with
responses shaped as the APIs return them (checked against botocore's output shapes); every request is checked
against the API's input shape first, and SageMaker and SNS requests also go through moto.
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any

import boto3

import api_shapes
from lambda_runtime import Function, LambdaRuntime

FAILED_GLUE_STATES = {"FAILED", "TIMEOUT", "STOPPED", "ERROR"}
# The error code each service returns for a request its API rejects.
REJECTION = {"lambda": "Lambda.InvalidRequestContentException", "glue": "Glue.InvalidInputException",
             "sagemaker": "SageMaker.ValidationException", "sns": "SNS.InvalidParameterException"}


class TaskError(Exception):
    def __init__(self, error: str, cause: str) -> None:
        super().__init__(error)
        self.error, self.cause = error, cause


class Hang(Exception):
    """The job never reaches a terminal state."""


def epoch_millis(value: Any) -> Any:
    if isinstance(value, datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {k: epoch_millis(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [epoch_millis(v) for v in value]
    return value


def sdk_metadata() -> dict[str, Any]:
    request_id = str(uuid.uuid4())
    return {"SdkHttpMetadata": {"HttpHeaders": {"x-amzn-RequestId": request_id}, "HttpStatusCode": 200},
            "SdkResponseMetadata": {"RequestId": request_id}}


class Integrations:
    def __init__(self, stack: dict[str, Any], runtime: LambdaRuntime) -> None:
        self.stack = stack
        self.region = stack["region"]
        self.runtime = runtime
        self.functions = {arn: Function(**f) for arn, f in stack["functions"].items()}
        self.scenario: dict[str, Any] = {}
        self.records: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=self.region)

    def reset(self, scenario: dict[str, Any]) -> None:
        self.scenario = scenario
        self.records = {"attempts": {}, "invocations": [], "glue_runs": [], "training_jobs": [],
                        "model_packages": [], "sns": [], "rejected": [], "models": [], "transform_jobs": [],
                        "deleted_models": []}

    def run(self, state: str, resource: str, params: Any) -> tuple[Any, float]:
        attempts = self.records["attempts"]
        attempts[state] = attempts.get(state, 0) + 1
        faults = self.scenario.get("faults", {}).get(state, [])
        if attempts[state] <= len(faults):
            fault = faults[attempts[state] - 1]
            raise TaskError(fault, f"Injected service error {fault} on attempt {attempts[state]} of {state}")
        handlers = {
            "arn:aws:states:::lambda:invoke": self.lambda_invoke,
            "arn:aws:states:::glue:startJobRun.sync": self.glue_job_run_sync,
            "arn:aws:states:::sagemaker:createTrainingJob.sync": self.training_job_sync,
            "arn:aws:states:::aws-sdk:sagemaker:createModelPackage": self.create_model_package,
            "arn:aws:states:::sagemaker:createModel": self.create_model,
            "arn:aws:states:::sagemaker:createTransformJob.sync": self.transform_job_sync,
            "arn:aws:states:::aws-sdk:sagemaker:deleteModel": self.delete_model,
            "arn:aws:states:::sns:publish": self.sns_publish,
        }
        if resource not in handlers:
            raise RuntimeError(f"state {state}: no stand-in for resource {resource}")
        return handlers[resource](params)

    def check_request(self, service: str, operation: str, params: Any) -> None:
        problems = api_shapes.input_problems(service, operation, params)
        if problems:
            self.records["rejected"].append({"operation": operation, "problems": problems})
            raise TaskError(REJECTION[service], "; ".join(problems))

    def check_response(self, service: str, operation: str, value: Any) -> None:
        problems = api_shapes.output_problems(service, operation, value)
        if problems:
            raise RuntimeError(f"recorded {operation} response does not fit the API: {'; '.join(problems)}")

    def lambda_invoke(self, params: dict[str, Any]) -> tuple[Any, float]:
        payload = params.get("Payload")
        self.check_request("lambda", "Invoke", {k: v for k, v in params.items() if k != "Payload"})
        function = self.functions.get(params["FunctionName"])
        if function is None:
            raise TaskError("Lambda.ResourceNotFoundException", f"Function not found: {params['FunctionName']}")
        ok, value = self.runtime.invoke(function, payload)
        self.records["invocations"].append({"function": function.name, "payload": payload, "ok": ok})
        if not ok:
            raise TaskError(value["errorType"], json.dumps(value))
        return {"ExecutedVersion": "$LATEST", "Payload": value, "StatusCode": 200, **sdk_metadata()}, 1

    def glue_job_run_sync(self, params: dict[str, Any]) -> tuple[Any, float]:
        self.check_request("glue", "StartJobRun", params)
        job = self.stack["glue_jobs"].get(params["JobName"])
        if job is None:
            raise TaskError("Glue.EntityNotFoundException", f"Job {params['JobName']} not found")
        outcome = self.scenario.get("glue", {"state": "SUCCEEDED", "seconds": 600})
        started = datetime.now(timezone.utc)
        run = {
            "Id": "jr_" + uuid.uuid4().hex * 2, "Attempt": 0, "JobName": params["JobName"], "JobMode": "SCRIPT",
            "StartedOn": started, "LastModifiedOn": started, "CompletedOn": started,
            "JobRunState": outcome["state"], "PredecessorRuns": [], "ExecutionTime": int(outcome["seconds"]),
            "Timeout": job.get("timeout", 2880), "WorkerType": job.get("worker_type"),
            "NumberOfWorkers": job.get("number_of_workers"), "GlueVersion": job.get("glue_version"),
            "LogGroupName": "/aws-glue/jobs", "Arguments": params.get("Arguments", {}),
        }
        if job.get("security_configuration"):
            run["SecurityConfiguration"] = job["security_configuration"]
        if "error_message" in outcome:
            run["ErrorMessage"] = outcome["error_message"]
        run = epoch_millis({k: v for k, v in run.items() if v is not None})
        self.check_response("glue", "GetJobRun", {"JobRun": run})
        self.records["glue_runs"].append({"request": params, "state": run["JobRunState"]})
        if run["JobRunState"] in FAILED_GLUE_STATES:
            raise TaskError("States.TaskFailed", json.dumps(run))
        return run, outcome["seconds"]

    def training_job_sync(self, params: dict[str, Any]) -> tuple[Any, float]:
        self.check_request("sagemaker", "CreateTrainingJob", params)
        outcome = self.scenario.get("training", {"status": "Completed", "log": "", "seconds": 3600})
        sagemaker = self.client("sagemaker")
        sagemaker.create_training_job(**params)
        name = params["TrainingJobName"]
        self.records["training_jobs"].append({"request": params})
        if outcome["status"] == "InProgress":
            raise Hang()
        self.settle_training_job(name, params, outcome)
        described = epoch_millis(sagemaker.describe_training_job(TrainingJobName=name))
        self.check_response("sagemaker", "DescribeTrainingJob", described)
        if described["TrainingJobStatus"] != "Completed":
            raise TaskError("States.TaskFailed", json.dumps(described))
        return described, outcome["seconds"]

    def settle_training_job(self, name: str, params: dict[str, Any], outcome: dict[str, Any]) -> None:
        """Ends the job as the scenario says; metrics come from its log through the job's metric definitions."""
        from moto.sagemaker.models import sagemaker_backends

        job = sagemaker_backends[self.stack["account"]][self.region].training_jobs[name]
        definitions = params["AlgorithmSpecification"].get("MetricDefinitions", [])
        job.algorithm_specification["MetricDefinitions"] = definitions
        now = datetime.now(timezone.utc)
        metrics = []
        for definition in definitions:
            found = re.findall(definition["Regex"], outcome.get("log", ""))
            if found:
                metrics.append({"MetricName": definition["Name"], "Value": float(found[-1]), "Timestamp": now})
        job.final_metric_data_list = metrics or None
        job.training_job_status = outcome["status"]
        job.secondary_status = outcome["status"]
        if outcome["status"] == "Failed":
            job.failure_reason = outcome["failure_reason"]

    def create_model_package(self, params: dict[str, Any]) -> tuple[Any, float]:
        self.check_request("sagemaker", "CreateModelPackage", params)
        sagemaker = self.client("sagemaker")
        try:
            arn = sagemaker.create_model_package(**params)["ModelPackageArn"]
        except sagemaker.exceptions.ClientError as error:
            raise TaskError(f"SageMaker.{error.response['Error']['Code']}", str(error)) from None
        described = sagemaker.describe_model_package(ModelPackageName=arn)
        self.records["model_packages"].append({
            "request": params, "arn": arn, "status": described.get("ModelApprovalStatus"),
            "group": described.get("ModelPackageGroupName"),
        })
        response = {"ModelPackageArn": arn}
        self.check_response("sagemaker", "CreateModelPackage", response)
        return response, 1

    def create_model(self, params: dict[str, Any]) -> tuple[Any, float]:
        self.check_request("sagemaker", "CreateModel", params)
        response = {"ModelArn": self.client("sagemaker").create_model(**params)["ModelArn"]}
        self.check_response("sagemaker", "CreateModel", response)
        self.records["models"].append(params)
        return response, 1

    def transform_job_sync(self, params: dict[str, Any]) -> tuple[Any, float]:
        self.check_request("sagemaker", "CreateTransformJob", params)
        sagemaker = self.client("sagemaker")
        models = {m["ModelName"] for m in self.records["models"]}
        if params["ModelName"] not in models:
            raise TaskError("SageMaker.ValidationException", f"Could not find model {params['ModelName']}")
        sagemaker.create_transform_job(**params)
        self.records["transform_jobs"].append(params)
        outcome = self.scenario.get("transform", {"status": "Completed", "seconds": 900})
        described = epoch_millis(sagemaker.describe_transform_job(TransformJobName=params["TransformJobName"]))
        # moto answers "" for the unset optional ARNs (LabelingJobArn, AutoMLJobArn); SageMaker leaves them out.
        described = {k: v for k, v in described.items() if v != ""}
        described["TransformJobStatus"] = outcome["status"]
        self.check_response("sagemaker", "DescribeTransformJob", described)
        if outcome["status"] != "Completed":
            raise TaskError("States.TaskFailed", json.dumps(described))
        return described, outcome["seconds"]

    def delete_model(self, params: dict[str, Any]) -> tuple[Any, float]:
        self.check_request("sagemaker", "DeleteModel", params)
        self.client("sagemaker").delete_model(**params)
        self.records["deleted_models"].append(params["ModelName"])
        return {}, 1

    def sns_publish(self, params: dict[str, Any]) -> tuple[Any, float]:
        self.check_request("sns", "Publish", params)
        sns = self.client("sns")
        try:
            message_id = sns.publish(**params)["MessageId"]
        except sns.exceptions.ClientError as error:
            raise TaskError(f"SNS.{error.response['Error']['Code']}Exception", str(error)) from None
        self.records["sns"].append({k: params.get(k) for k in ("TopicArn", "Subject", "Message")})
        return {"MessageId": message_id, **sdk_metadata()}, 1
