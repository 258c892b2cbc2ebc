import base64
import io
import json
import os
import sys
import unittest
from pathlib import Path
from unittest import mock

import boto3
from botocore.response import StreamingBody
from botocore.stub import Stubber

HANDLER_DIR = str(Path(__file__).resolve().parent.parent / "inference_proxy")
if HANDLER_DIR not in sys.path:
    sys.path.insert(0, HANDLER_DIR)

import inference_proxy  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_test_environment import use_dummy_aws  # noqa: E402

REAL_CLIENT_FACTORY = inference_proxy.runtime_client

ENDPOINT = "mlops-dev-endpoint"
CONFIG_VARIABLES = ("ENDPOINT_NAME", "MAX_BODY_BYTES", "ALLOWED_CONTENT_TYPES")
SECRET = "Traceback secret-internal-detail arn:aws:iam::123456789012:role/hidden"


def http_event(body, content_type="application/json", headers=None, base64_encoded=False, request_id="req-123"):
    event = {
        "version": "2.0",
        "routeKey": "POST /predict",
        "rawPath": "/predict",
        "headers": {"content-type": content_type} if headers is None else headers,
        "body": body,
        "isBase64Encoded": base64_encoded,
    }
    if request_id is not None:
        event["requestContext"] = {"requestId": request_id, "http": {"method": "POST", "path": "/predict"}}
    return event


def stream(data):
    return StreamingBody(io.BytesIO(data), len(data))


class InferenceProxyHandlerTests(unittest.TestCase):
    def setUp(self):
        use_dummy_aws(self, CONFIG_VARIABLES)
        os.environ["ENDPOINT_NAME"] = ENDPOINT

        self.client = boto3.client("sagemaker-runtime", region_name="us-east-1")
        self.stubber = Stubber(self.client)
        self.stubber.activate()
        self.addCleanup(self.stubber.deactivate)
        factory = mock.patch.object(inference_proxy, "runtime_client", return_value=self.client)
        factory.start()
        self.addCleanup(factory.stop)

    def expect_invoke(self, request_body, content_type="application/json", accept=None, answer=b"{}",
                      answer_type="application/json"):
        self.stubber.add_response(
            "invoke_endpoint",
            {"Body": stream(answer), "ContentType": answer_type, "InvokedProductionVariant": "AllTraffic"},
            {
                "EndpointName": ENDPOINT,
                "ContentType": content_type,
                "Accept": accept or content_type,
                "Body": request_body,
            },
        )

    def expect_error(self, code, http_status=400, message=SECRET, **modeled_fields):
        self.stubber.add_client_error(
            "invoke_endpoint",
            service_error_code=code,
            service_message=message,
            http_status_code=http_status,
            modeled_fields=modeled_fields or None,
        )

    def call(self, event):
        with self.assertLogs(inference_proxy.logger, level="INFO") as logs:
            inference_proxy.logger.info("start")  # assertLogs needs at least one record
            result = inference_proxy.handler(event, None)
        self.logs = "\n".join(logs.output)
        return result

    def assert_error(self, result, status, code):
        self.assertEqual(result["statusCode"], status)
        self.assertEqual(result["headers"]["content-type"], "application/json")
        self.assertFalse(result["isBase64Encoded"])
        body = json.loads(result["body"])
        self.assertEqual(body["error"], code)
        self.assertIsInstance(body["message"], str)
        self.assertTrue(body["message"])
        self.assertNotIn("secret", result["body"])
        self.assertNotIn("Traceback", result["body"])
        return body

    # --- success -------------------------------------------------------------------------------

    def test_json_success_returns_model_answer(self):
        self.expect_invoke(b'{"instances": [[1, 2]]}', answer=b'{"predictions": [0.9]}')

        result = self.call(http_event('{"instances": [[1, 2]]}'))

        self.assertEqual(
            result,
            {
                "statusCode": 200,
                "headers": {"content-type": "application/json", "x-request-id": "req-123"},
                "body": '{"predictions": [0.9]}',
                "isBase64Encoded": False,
            },
        )
        self.stubber.assert_no_pending_responses()

    def test_csv_success_uses_endpoint_content_type(self):
        self.expect_invoke(b"1.0,2.0\n3.0,4.0\n", content_type="text/csv", answer=b"0.1\n0.8\n",
                           answer_type="text/csv; charset=utf-8")

        result = self.call(http_event("1.0,2.0\n3.0,4.0\n", content_type="text/csv"))

        self.assertEqual(result["statusCode"], 200)
        self.assertEqual(result["headers"]["content-type"], "text/csv; charset=utf-8")
        self.assertEqual(result["body"], "0.1\n0.8\n")
        self.assertFalse(result["isBase64Encoded"])
        self.stubber.assert_no_pending_responses()

    def test_base64_body_is_decoded_before_invoking(self):
        raw = "5.1,3.5,1.4,0.2\n".encode("utf-8")
        self.expect_invoke(raw, content_type="text/csv", answer=b"setosa", answer_type="text/csv")

        result = self.call(http_event(base64.b64encode(raw).decode("ascii"), "text/csv", base64_encoded=True))

        self.assertEqual((result["statusCode"], result["body"]), (200, "setosa"))
        self.stubber.assert_no_pending_responses()

    def test_binary_answer_is_returned_base64_encoded(self):
        answer = b"\x89PNG\r\n\x1a\n\xff\xfe"
        self.expect_invoke(b"[1]", answer=answer, answer_type="application/octet-stream")

        result = self.call(http_event("[1]"))

        self.assertEqual(result["statusCode"], 200)
        self.assertTrue(result["isBase64Encoded"])
        self.assertEqual(base64.b64decode(result["body"]), answer)
        self.assertEqual(result["headers"]["content-type"], "application/octet-stream")

    def test_headers_are_case_insensitive_and_charset_is_stripped(self):
        self.expect_invoke(b'{"x": 1}', accept="text/csv", answer=b"1", answer_type="text/csv")

        result = self.call(
            http_event('{"x": 1}', headers={"Content-Type": "Application/JSON; charset=UTF-8", "ACCEPT": "text/csv"})
        )

        self.assertEqual((result["statusCode"], result["body"]), (200, "1"))
        self.assertEqual(result["headers"]["content-type"], "text/csv")
        self.stubber.assert_no_pending_responses()

    def test_wildcard_accept_falls_back_to_request_content_type(self):
        self.expect_invoke(b"1,2", content_type="text/csv", accept="text/csv", answer=b"0", answer_type="text/csv")

        result = self.call(http_event("1,2", headers={"content-type": "text/csv", "accept": "*/*"}))

        self.assertEqual(result["statusCode"], 200)
        self.stubber.assert_no_pending_responses()

    def test_request_id_is_echoed_on_errors_and_absent_without_request_context(self):
        rejected = self.call(http_event("1,2", content_type="text/plain", request_id="abc-789"))
        self.assertEqual(rejected["headers"]["x-request-id"], "abc-789")

        self.expect_invoke(b"[1]", answer=b"[2]")
        anonymous = self.call(http_event("[1]", request_id=None))
        self.assertEqual(anonymous["statusCode"], 200)
        self.assertNotIn("x-request-id", anonymous["headers"])

    def test_body_at_exactly_the_limit_is_accepted_and_limit_applies_to_decoded_bytes(self):
        os.environ["MAX_BODY_BYTES"] = "10"
        raw = b"1234567890"  # 10 bytes, 16 characters once base64-encoded
        self.expect_invoke(raw, answer=b"ok")

        result = self.call(http_event(base64.b64encode(raw).decode("ascii"), base64_encoded=True))

        self.assertEqual(result["statusCode"], 200)
        self.stubber.assert_no_pending_responses()

    def test_allowed_content_types_setting(self):
        os.environ["ALLOWED_CONTENT_TYPES"] = " application/x-npy , "
        self.expect_invoke(b"\x93NUMPY", content_type="application/x-npy", answer=b"[1]")

        accepted = self.call(
            http_event(base64.b64encode(b"\x93NUMPY").decode("ascii"), "application/x-npy", base64_encoded=True)
        )
        rejected = self.call(http_event("[1]", "application/json"))

        self.assertEqual(accepted["statusCode"], 200)
        body = self.assert_error(rejected, 415, "unsupported_media_type")
        self.assertIn("application/x-npy", body["message"])

    # --- request rejected before invoking (no stubbed response: an invoke would fail the test) ---

    def test_unsupported_content_type_is_415(self):
        for headers in ({"content-type": "text/plain"}, {"content-type": "application/jsonx"}, {}, None):
            with self.subTest(headers=headers):
                event = http_event("[1]")
                event["headers"] = headers
                body = self.assert_error(self.call(event), 415, "unsupported_media_type")
                self.assertIn("application/json, text/csv", body["message"])

    def test_too_large_body_is_413(self):
        os.environ["MAX_BODY_BYTES"] = "10"

        result = self.call(http_event("12345678901", content_type="text/csv"))

        self.assert_error(result, 413, "payload_too_large")

    def test_multibyte_characters_count_as_bytes(self):
        os.environ["MAX_BODY_BYTES"] = "10"

        result = self.call(http_event("é" * 6, content_type="text/csv"))  # 6 characters, 12 bytes

        self.assert_error(result, 413, "payload_too_large")

    def test_empty_body_is_400(self):
        for body, encoded in ((None, False), ("", False), ("", True)):
            with self.subTest(body=body, encoded=encoded):
                self.assert_error(self.call(http_event(body, base64_encoded=encoded)), 400, "empty_body")

    def test_invalid_base64_is_400(self):
        for body in ("not base64!!", "abc", "é="):
            with self.subTest(body=body):
                result = self.call(http_event(body, content_type="text/csv", base64_encoded=True))
                self.assert_error(result, 400, "invalid_base64")

    def test_invalid_json_is_400(self):
        for body in ('{"instances": [1, 2', "not json", "[" * 100000):
            with self.subTest(body=body[:20]):
                self.assert_error(self.call(http_event(body)), 400, "invalid_json")

    def test_invalid_utf8_json_is_400(self):
        result = self.call(http_event(base64.b64encode(b'{"a": "\xff"}').decode("ascii"), base64_encoded=True))

        self.assert_error(result, 400, "invalid_json")

    def test_csv_is_not_parsed_as_json(self):
        self.expect_invoke(b"not json", content_type="text/csv", answer=b"0", answer_type="text/csv")

        self.assertEqual(self.call(http_event("not json", content_type="text/csv"))["statusCode"], 200)

    # --- errors from SageMaker ---------------------------------------------------------------

    def test_validation_error_is_400(self):
        self.expect_error("ValidationError")

        self.assert_error(self.call(http_event("[1]")), 400, "validation_error")
        self.assertIn("ValidationError", self.logs)

    def test_model_error_is_502_and_detail_is_only_logged(self):
        self.expect_error(
            "ModelError", 424, OriginalStatusCode=500, OriginalMessage=SECRET,
            LogStreamArn="arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/x",
        )

        result = self.call(http_event("[1]"))

        self.assert_error(result, 502, "model_error")
        self.assertEqual(result["headers"]["x-request-id"], "req-123")
        self.assertIn("secret-internal-detail", self.logs)
        self.assertIn("original_status_code=500", self.logs)

    def test_throttling_is_429(self):
        for code, status in (("ThrottlingException", 400), ("SomethingNew", 429)):
            with self.subTest(code=code):
                self.expect_error(code, status)
                self.assert_error(self.call(http_event("[1]")), 429, "throttled")

    def test_not_ready_is_503(self):
        for code, status in (("ModelNotReadyException", 400), ("ServiceUnavailable", 503)):
            with self.subTest(code=code):
                self.expect_error(code, status)
                self.assert_error(self.call(http_event("[1]")), 503, "model_not_ready")

    def test_unknown_service_error_is_500_without_exception_text(self):
        self.expect_error("InternalFailure", 500)

        result = self.call(http_event("[1]"))

        body = self.assert_error(result, 500, "internal_error")
        self.assertNotIn("InternalFailure", result["body"])
        self.assertEqual(set(body), {"error", "message"})
        self.assertIn("secret-internal-detail", self.logs)

    def test_unexpected_exception_is_500_and_logged(self):
        failing = mock.Mock()
        failing.invoke_endpoint.side_effect = RuntimeError(SECRET)

        with mock.patch.object(inference_proxy, "runtime_client", return_value=failing):
            result = self.call(http_event("[1]"))

        self.assert_error(result, 500, "internal_error")
        self.assertNotIn("RuntimeError", result["body"])
        self.assertIn("RuntimeError", self.logs)  # logged with its traceback
        failing.invoke_endpoint.assert_called_once()

    # --- configuration -------------------------------------------------------------------------

    def test_missing_endpoint_name_raises_value_error(self):
        for value in (None, "", "  "):
            with self.subTest(value=value):
                if value is None:
                    os.environ.pop("ENDPOINT_NAME", None)
                else:
                    os.environ["ENDPOINT_NAME"] = value
                with self.assertRaisesRegex(ValueError, "ENDPOINT_NAME"):
                    inference_proxy.handler(http_event("[1]"), None)

    def test_invalid_settings_raise_value_error(self):
        cases = (
            ("MAX_BODY_BYTES", "big"),
            ("MAX_BODY_BYTES", "0"),
            ("MAX_BODY_BYTES", "6291457"),
            ("ALLOWED_CONTENT_TYPES", " , "),
        )
        for name, value in cases:
            with self.subTest(name=name, value=value), mock.patch.dict(os.environ, {name: value}):
                with self.assertRaisesRegex(ValueError, name):
                    inference_proxy.handler(http_event("[1]"), None)

    def test_client_factory_creates_one_cached_sagemaker_runtime_client(self):
        REAL_CLIENT_FACTORY.cache_clear()
        self.addCleanup(REAL_CLIENT_FACTORY.cache_clear)

        client = REAL_CLIENT_FACTORY()

        self.assertIs(client, REAL_CLIENT_FACTORY())
        self.assertEqual(client.meta.service_model.service_name, "sagemaker-runtime")


if __name__ == "__main__":
    unittest.main()
