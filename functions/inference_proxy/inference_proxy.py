"""Forwards `POST /predict` from an API Gateway HTTP API (payload format 2.0) to a SageMaker endpoint.

The request is checked before it reaches the endpoint (content type, body encoding, size, JSON
syntax). Every error answer is JSON of the form {"error": "<code>", "message": "<text>"}; the text
of an AWS or Python exception is logged but never returned to the caller. A missing or invalid
setting raises ValueError, so a misconfigured function fails loudly instead of blaming the client.
"""
from __future__ import annotations

import base64
import functools
import json
import logging
import os
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

# SageMaker's InvokeEndpoint accepts at most 6 MiB of payload.
INVOKE_MAX_BODY_BYTES = 6 * 1024 * 1024
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_ALLOWED_CONTENT_TYPES = "application/json,text/csv"

THROTTLING_CODES = frozenset({"ThrottlingException"})
NOT_READY_CODES = frozenset({"ModelNotReadyException", "ServiceUnavailable"})

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)


class RequestError(Exception):
    """The request cannot be answered with a prediction; carries the HTTP answer to give instead."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(f"{status} {code}: {message}")


@dataclass(frozen=True)
class Config:
    endpoint_name: str
    max_body_bytes: int
    allowed_content_types: tuple[str, ...]


@functools.cache
def runtime_client() -> Any:
    """One SageMaker Runtime client per warm Lambda container, created on first use."""
    return boto3.client("sagemaker-runtime")


def load_config() -> Config:
    endpoint_name = os.environ.get("ENDPOINT_NAME", "").strip()
    if not endpoint_name:
        raise ValueError("environment variable ENDPOINT_NAME is required")

    raw_max = os.environ.get("MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES))
    try:
        max_body_bytes = int(raw_max)
    except ValueError:
        raise ValueError(f"MAX_BODY_BYTES must be an integer, got {raw_max!r}") from None
    if not 1 <= max_body_bytes <= INVOKE_MAX_BODY_BYTES:
        raise ValueError(f"MAX_BODY_BYTES must be between 1 and {INVOKE_MAX_BODY_BYTES}, got {max_body_bytes}")

    raw_types = os.environ.get("ALLOWED_CONTENT_TYPES", DEFAULT_ALLOWED_CONTENT_TYPES)
    allowed = tuple(dict.fromkeys(media_type(t) for t in raw_types.split(",") if media_type(t)))
    if not allowed:
        raise ValueError(f"ALLOWED_CONTENT_TYPES must name at least one content type, got {raw_types!r}")

    return Config(endpoint_name=endpoint_name, max_body_bytes=max_body_bytes, allowed_content_types=allowed)


def media_type(value: str | None) -> str:
    """The media type of a Content-Type value, lower-cased and without parameters such as charset."""
    return (value or "").split(";", 1)[0].strip().lower()


def lower_headers(event: dict[str, Any]) -> dict[str, str]:
    """Request headers keyed by lower-case name (HTTP API already lower-cases them; others may not)."""
    headers = event.get("headers") or {}
    return {str(name).lower(): str(value) for name, value in headers.items() if value is not None}


def request_body(event: dict[str, Any], content_type: str, config: Config) -> bytes:
    """The raw request bytes, checked for presence, encoding, size and (for JSON) syntax."""
    body = event.get("body")
    if body is None or body == "":
        raise RequestError(400, "empty_body", "the request body is empty")

    if event.get("isBase64Encoded"):
        try:
            data = base64.b64decode(body, validate=True)
        except ValueError:  # binascii.Error, or non-ASCII characters in the text
            raise RequestError(400, "invalid_base64", "the request body is not valid base64") from None
    elif isinstance(body, bytes):
        data = body
    else:
        data = str(body).encode("utf-8")

    if not data:
        raise RequestError(400, "empty_body", "the request body is empty")
    if len(data) > config.max_body_bytes:
        raise RequestError(
            413, "payload_too_large", f"the request body exceeds the limit of {config.max_body_bytes} bytes"
        )
    if content_type == "application/json":
        try:
            json.loads(data)
        except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise RequestError(400, "invalid_json", "the request body is not valid JSON") from None
    return data


def client_error_answer(error: ClientError, endpoint_name: str, request_id: str | None) -> RequestError:
    """Maps an InvokeEndpoint service error to the answer for the caller, after logging its detail."""
    details = error.response.get("Error", {})
    code = str(details.get("Code", ""))
    http_status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    logger.warning(
        "invoke_endpoint failed: endpoint=%s request_id=%s code=%s http_status=%s message=%s",
        endpoint_name, request_id, code, http_status, details.get("Message"),
    )
    if code == "ValidationError":
        return RequestError(400, "validation_error", "the endpoint rejected the request as invalid")
    if code == "ModelError":
        logger.warning(
            "model error detail: original_status_code=%s log_stream_arn=%s original_message=%s",
            error.response.get("OriginalStatusCode"), error.response.get("LogStreamArn"),
            error.response.get("OriginalMessage"),
        )
        return RequestError(502, "model_error", "the model failed to process the request")
    if code in THROTTLING_CODES or http_status == 429:
        return RequestError(429, "throttled", "too many requests, retry later")
    if code in NOT_READY_CODES:
        return RequestError(503, "model_not_ready", "the model is not available yet, retry later")
    return RequestError(500, "internal_error", "the prediction could not be made")


def response(
    status: int, body: str, content_type: str, request_id: str | None, is_base64: bool = False
) -> dict[str, Any]:
    headers = {"content-type": content_type}
    if request_id:
        headers["x-request-id"] = request_id
    return {"statusCode": status, "headers": headers, "body": body, "isBase64Encoded": is_base64}


def error_response(error: RequestError, request_id: str | None) -> dict[str, Any]:
    payload = json.dumps({"error": error.code, "message": error.message})
    return response(error.status, payload, "application/json", request_id)


def handler(event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    config = load_config()
    event = event or {}
    request_id = (event.get("requestContext") or {}).get("requestId")
    try:
        headers = lower_headers(event)
        content_type = media_type(headers.get("content-type"))
        if content_type not in config.allowed_content_types:
            raise RequestError(
                415,
                "unsupported_media_type",
                "the content-type must be one of: " + ", ".join(config.allowed_content_types),
            )
        data = request_body(event, content_type, config)
        # Clients such as curl send "Accept: */*"; the endpoint then answers in the request's type.
        accept = headers.get("accept", "").strip()
        if not accept or accept == "*/*":
            accept = content_type

        try:
            result = runtime_client().invoke_endpoint(
                EndpointName=config.endpoint_name, ContentType=content_type, Accept=accept, Body=data
            )
            payload = result["Body"].read()
        except ClientError as error:
            raise client_error_answer(error, config.endpoint_name, request_id) from None
        except Exception:
            logger.exception(
                "invoke_endpoint failed unexpectedly: endpoint=%s request_id=%s", config.endpoint_name, request_id
            )
            raise RequestError(500, "internal_error", "the prediction could not be made") from None
    except RequestError as error:
        if error.status < 500:
            logger.info("request rejected: request_id=%s status=%s code=%s", request_id, error.status, error.code)
        return error_response(error, request_id)

    result_type = result.get("ContentType") or accept
    try:
        return response(200, payload.decode("utf-8"), result_type, request_id)
    except UnicodeDecodeError:
        return response(200, base64.b64encode(payload).decode("ascii"), result_type, request_id, is_base64=True)
