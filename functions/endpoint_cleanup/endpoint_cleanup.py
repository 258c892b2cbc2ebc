"""Deletes the opted-in SageMaker endpoints of one environment; run nightly by EventBridge Scheduler.

An endpoint is deleted only when it carries both the tag `Environment` = ENVIRONMENT and the opt-in
tag TAG_KEY = TAG_VALUE. Endpoint configurations and models are never touched, so the next
`terraform apply` recreates the endpoint from its retained configuration. With DRY_RUN the
endpoints that would be deleted are reported under `deleted` and nothing is deleted.

A failure on one endpoint does not stop the others; CleanupError is raised at the end when any
endpoint could not be evaluated or deleted, so that the scheduled invocation shows as failed.
"""
from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

ENVIRONMENT_TAG = "Environment"
DEFAULT_TAG_KEY = "mlopstf:auto-cleanup"
DEFAULT_TAG_VALUE = "true"
TRUE_VALUES = frozenset({"true", "1", "yes"})
SKIPPED_STATUSES = frozenset({"Deleting"})
# Endpoints per ListEndpoints call (the API allows 1..100).
LIST_PAGE_SIZE = 100

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)


class CleanupError(Exception):
    """At least one endpoint could not be handled; `errors` maps its name to the AWS error."""

    def __init__(self, errors: dict[str, str], result: dict[str, Any]) -> None:
        self.errors = errors
        self.result = result
        listed = "; ".join(f"{name}: {errors[name]}" for name in sorted(errors))
        super().__init__(f"endpoint cleanup failed for {len(errors)} endpoint(s): {listed}")


@dataclass(frozen=True)
class Config:
    environment: str
    tag_key: str
    tag_value: str
    dry_run: bool


@functools.cache
def sagemaker_client() -> Any:
    """One SageMaker client per warm Lambda container, created on first use."""
    return boto3.client("sagemaker")


def load_config() -> Config:
    environment = os.environ.get("ENVIRONMENT", "").strip()
    if not environment:
        raise ValueError("environment variable ENVIRONMENT is required")
    tag_key = os.environ.get("TAG_KEY", DEFAULT_TAG_KEY).strip()
    if not tag_key:
        raise ValueError("TAG_KEY must not be empty")
    return Config(
        environment=environment,
        tag_key=tag_key,
        tag_value=os.environ.get("TAG_VALUE", DEFAULT_TAG_VALUE),
        dry_run=os.environ.get("DRY_RUN", "false").strip().lower() in TRUE_VALUES,
    )


def list_endpoints() -> list[dict[str, Any]]:
    """Every endpoint summary, read in full before anything is deleted so that paging stays stable."""
    paginator = sagemaker_client().get_paginator("list_endpoints")
    pages = paginator.paginate(PaginationConfig={"PageSize": LIST_PAGE_SIZE})
    return [summary for page in pages for summary in page.get("Endpoints", [])]


def endpoint_tags(arn: str) -> dict[str, str]:
    paginator = sagemaker_client().get_paginator("list_tags")
    return {
        tag["Key"]: tag.get("Value", "")
        for page in paginator.paginate(ResourceArn=arn)
        for tag in page.get("Tags", [])
    }


def error_text(error: ClientError) -> str:
    details = error.response.get("Error", {})
    code = details.get("Code") or "Unknown"
    message = details.get("Message")
    return f"{code}: {message}" if message else code


def handler(event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    config = load_config()
    deleted: list[str] = []
    skipped: list[str] = []
    errors: dict[str, str] = {}

    for summary in list_endpoints():
        name = summary["EndpointName"]
        status = summary.get("EndpointStatus")
        if status in SKIPPED_STATUSES:
            logger.info("skipping endpoint %s: status %s", name, status)
            skipped.append(name)
            continue
        try:
            tags = endpoint_tags(summary["EndpointArn"])
        except ClientError as error:
            errors[name] = f"list_tags failed: {error_text(error)}"
            logger.error("cannot read the tags of endpoint %s: %s", name, errors[name])
            continue
        if tags.get(ENVIRONMENT_TAG) != config.environment or tags.get(config.tag_key) != config.tag_value:
            skipped.append(name)
            continue
        if config.dry_run:
            logger.info("dry run: would delete endpoint %s", name)
            deleted.append(name)
            continue
        try:
            sagemaker_client().delete_endpoint(EndpointName=name)
        except ClientError as error:
            errors[name] = f"delete_endpoint failed: {error_text(error)}"
            logger.error("cannot delete endpoint %s: %s", name, errors[name])
            continue
        logger.info("deleted endpoint %s", name)
        deleted.append(name)

    result = {
        "environment": config.environment,
        "dry_run": config.dry_run,
        "deleted": sorted(deleted),
        "skipped": sorted(skipped),
        "failed": sorted(errors),
    }
    logger.info(
        "endpoint cleanup for %s (dry_run=%s): %d deleted, %d skipped, %d failed",
        config.environment, config.dry_run, len(deleted), len(skipped), len(errors),
    )
    if errors:
        raise CleanupError(errors, result)
    return result
