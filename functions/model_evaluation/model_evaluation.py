"""Reads a finished SageMaker training job's final metric for a Step Functions Choice state.

The Choice state branches on `passed`; `metric_value` and `threshold` are returned as well so
that the execution history shows why.
"""
from __future__ import annotations

import functools
import math
import os
from typing import Any

import boto3

GOALS = ("maximize", "minimize")


class EvaluationError(Exception):
    """The training job cannot be evaluated (not completed, metric absent or not a number)."""


@functools.cache
def sagemaker_client() -> Any:
    """One SageMaker client per warm Lambda container, created on first use."""
    return boto3.client("sagemaker")


def _threshold() -> float:
    raw = os.environ.get("THRESHOLD")
    if raw is None or not raw.strip():
        raise ValueError("environment variable THRESHOLD is required")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"THRESHOLD must be a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"THRESHOLD must be a finite number, got {raw!r}")
    return value


def handler(event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    metric_name = os.environ.get("METRIC_NAME", "").strip()
    if not metric_name:
        raise ValueError("environment variable METRIC_NAME is required")
    goal = os.environ.get("METRIC_GOAL", "maximize").strip().lower()
    if goal not in GOALS:
        raise ValueError(f"METRIC_GOAL must be one of {', '.join(GOALS)}, got {goal!r}")
    threshold = _threshold()
    job_name = (event or {}).get("training_job_name")
    if not job_name:
        raise ValueError("event key 'training_job_name' is required")

    job = sagemaker_client().describe_training_job(TrainingJobName=job_name)
    status = job["TrainingJobStatus"]
    if status != "Completed":
        raise EvaluationError(f"training job {job_name} is {status}, not Completed")

    metrics = job.get("FinalMetricDataList", [])
    value = next((m["Value"] for m in metrics if m.get("MetricName") == metric_name), None)
    if value is None:
        available = ", ".join(m["MetricName"] for m in metrics if "MetricName" in m) or "none"
        raise EvaluationError(
            f"metric {metric_name} not reported by training job {job_name}; available metrics: {available}"
        )
    value = float(value)
    # NaN compares false either way and is not valid JSON for Step Functions, so refuse it here.
    if not math.isfinite(value):
        raise EvaluationError(f"metric {metric_name} of training job {job_name} is {value}")

    artifacts = job.get("ModelArtifacts", {}).get("S3ModelArtifacts")
    if not artifacts:
        raise EvaluationError(f"training job {job_name} has no ModelArtifacts.S3ModelArtifacts")

    return {
        "training_job_name": job_name,
        "metric_name": metric_name,
        "metric_value": value,
        "threshold": threshold,
        "goal": goal,
        "passed": value >= threshold if goal == "maximize" else value <= threshold,
        "model_artifacts": artifacts,
    }
