import json
import os
import sys
import unittest
from pathlib import Path
from unittest import mock

import boto3
from moto import mock_aws

HANDLER_DIR = str(Path(__file__).resolve().parent.parent / "data_validation")
if HANDLER_DIR not in sys.path:
    sys.path.insert(0, HANDLER_DIR)

import data_validation  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_test_environment import use_dummy_aws  # noqa: E402

BUCKET = "mlops-data-test"
CONFIG_VARIABLES = ("DATA_BUCKET", "RAW_PREFIX", "REQUIRED_COLUMNS", "MIN_ROWS", "MAX_NULL_FRACTION", "REPORT_PREFIX")


class DataValidationHandlerTests(unittest.TestCase):
    def setUp(self):
        use_dummy_aws(self, CONFIG_VARIABLES)
        os.environ.update({"DATA_BUCKET": BUCKET, "REQUIRED_COLUMNS": "id,label"})

        aws = mock_aws()
        aws.start()
        self.addCleanup(aws.stop)
        # The handler caches its client; each test needs one created inside its own mock.
        data_validation.s3_client.cache_clear()
        self.addCleanup(data_validation.s3_client.cache_clear)
        self.s3 = boto3.client("s3")
        self.s3.create_bucket(Bucket=BUCKET)

    def put(self, key, text, bucket=BUCKET):
        self.s3.put_object(Bucket=bucket, Key=key, Body=text.encode("utf-8"))

    def report(self, key):
        return json.loads(self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())

    def run_invalid(self, event):
        with self.assertRaises(data_validation.DataValidationError) as raised:
            data_validation.handler(event, None)
        return raised.exception

    def test_valid_data_passes_and_writes_report(self):
        self.put("raw/part-1.csv", "id,label,feature\n1,0,0.5\n2,1,0.7\n")
        self.put("raw/nested/part-2.csv", "\ufefflabel,id\r\n1,3\r\n\r\n0,4\r\n")
        self.put("raw/notes.txt", "not,a,csv\n")

        result = data_validation.handler({"execution_id": "exec-1"}, None)

        self.assertEqual(
            result,
            {"valid": True, "objects": 2, "rows": 4, "report_key": "validation-reports/exec-1.json"},
        )
        report = self.report("validation-reports/exec-1.json")
        self.assertTrue(report["valid"])
        self.assertEqual(report["problems"], [])
        self.assertEqual(report["objects"], 2)
        self.assertEqual(report["rows"], 4)
        self.assertEqual(report["rows_per_object"], {"raw/part-1.csv": 2, "raw/nested/part-2.csv": 2})
        self.assertEqual(report["null_fractions"], {"id": 0.0, "label": 0.0})
        self.assertEqual(report["required_columns"], ["id", "label"])
        head = self.s3.head_object(Bucket=BUCKET, Key="validation-reports/exec-1.json")
        self.assertEqual(head["ContentType"], "application/json")

    def test_lists_every_page_of_objects(self):
        for index in range(1005):
            self.put(f"raw/part-{index:04d}.csv", "id,label\n1,0\n")

        result = data_validation.handler({"execution_id": "many"}, None)

        self.assertEqual((result["objects"], result["rows"]), (1005, 1005))

    def test_default_execution_id_is_a_utc_timestamp(self):
        self.put("raw/a.csv", "id,label\n1,0\n")

        result = data_validation.handler({}, None)

        self.assertRegex(result["report_key"], r"^validation-reports/\d{8}T\d{6}Z\.json$")
        self.assertTrue(self.report(result["report_key"])["valid"])

    def test_no_objects_is_invalid(self):
        self.put("raw/readme.txt", "nothing here\n")

        error = self.run_invalid({"execution_id": "empty"})

        self.assertEqual(
            error.problems,
            [f"no .csv objects found under s3://{BUCKET}/raw/", "too few rows: 0 found, at least 1 required"],
        )
        self.assertIn(f"no .csv objects found under s3://{BUCKET}/raw/", str(error))
        report = self.report("validation-reports/empty.json")
        self.assertFalse(report["valid"])
        self.assertEqual(report["objects"], 0)
        self.assertEqual(report["problems"], error.problems)

    def test_missing_column_is_reported_per_file(self):
        self.put("raw/good.csv", "id,label\n1,0\n")
        self.put("raw/bad.csv", "id,feature\n2,0.3\n")

        error = self.run_invalid({"execution_id": "cols"})

        self.assertEqual(error.problems, [f"s3://{BUCKET}/raw/bad.csv: missing required columns: label"])
        self.assertIn("missing required columns: label", str(error))
        self.assertEqual(self.report("validation-reports/cols.json")["problems"], error.problems)

    def test_too_few_rows(self):
        os.environ["MIN_ROWS"] = "3"
        self.put("raw/a.csv", "id,label\n1,0\n2,1\n")

        error = self.run_invalid({"execution_id": "rows"})

        self.assertEqual(error.problems, ["too few rows: 2 found, at least 3 required"])
        self.assertEqual(self.report("validation-reports/rows.json")["rows"], 2)

    def test_too_many_nulls(self):
        os.environ["MAX_NULL_FRACTION"] = "0.25"
        # label: 2 empty of 4 rows (one whitespace-only, one short row); id: 1 of 4 is exactly the limit.
        self.put("raw/a.csv", "id,label\n1,0\n2, \n,1\n4\n")

        error = self.run_invalid({"execution_id": "nulls"})

        self.assertEqual(error.problems, ["column label: null fraction 0.5000 exceeds the maximum 0.25"])
        report = self.report("validation-reports/nulls.json")
        self.assertEqual(report["null_fractions"], {"id": 0.25, "label": 0.5})
        self.assertFalse(report["valid"])

    def test_multiple_problems_are_reported_at_once(self):
        os.environ.update({"MIN_ROWS": "10", "MAX_NULL_FRACTION": "0"})
        self.put("raw/a.csv", "id,label\n1,\n2,1\n")
        self.put("raw/b.csv", "id\n3\n")

        error = self.run_invalid({"execution_id": "multi"})

        expected = [
            f"s3://{BUCKET}/raw/b.csv: missing required columns: label",
            "too few rows: 3 found, at least 10 required",
            "column label: null fraction 0.5000 exceeds the maximum 0.0",
        ]
        self.assertEqual(error.problems, expected)
        self.assertTrue(str(error).startswith("data validation failed with 3 problem(s): "))
        for problem in expected:
            self.assertIn(problem, str(error))
        self.assertEqual(self.report("validation-reports/multi.json")["problems"], expected)

    def test_undecodable_file_is_a_problem_not_a_crash(self):
        self.put("raw/good.csv", "id,label\n1,0\n")
        self.s3.put_object(Bucket=BUCKET, Key="raw/latin1.csv", Body=b"id,label\n2,caf\xe9\n")

        error = self.run_invalid({"execution_id": "enc"})

        self.assertEqual(len(error.problems), 1)
        self.assertTrue(error.problems[0].startswith(f"s3://{BUCKET}/raw/latin1.csv: unreadable CSV: "))
        self.assertEqual(self.report("validation-reports/enc.json")["rows"], 1)

    def test_event_overrides_bucket_and_prefix_report_stays_in_data_bucket(self):
        self.s3.create_bucket(Bucket="other-raw-bucket")
        self.put("raw/ignored.csv", "nothing\n")
        self.put("incoming/2024/a.csv", "id,label\n1,0\n2,1\n3,0\n", bucket="other-raw-bucket")
        os.environ["REPORT_PREFIX"] = "reports/"

        result = data_validation.handler(
            {"bucket": "other-raw-bucket", "prefix": "incoming/", "execution_id": "override"}, None
        )

        self.assertEqual(result, {"valid": True, "objects": 1, "rows": 3, "report_key": "reports/override.json"})
        report = self.report("reports/override.json")
        self.assertEqual((report["bucket"], report["prefix"]), ("other-raw-bucket", "incoming/"))
        listed = self.s3.list_objects_v2(Bucket="other-raw-bucket")["Contents"]
        self.assertEqual([o["Key"] for o in listed], ["incoming/2024/a.csv"])

    def test_raw_prefix_environment_variable(self):
        os.environ["RAW_PREFIX"] = "landing/"
        self.put("landing/a.csv", "id,label\n1,0\n")
        self.put("raw/bad.csv", "x\n")

        result = data_validation.handler({"execution_id": "env-prefix"}, None)

        self.assertEqual((result["objects"], result["rows"]), (1, 1))

    def test_no_required_columns_skips_column_checks(self):
        os.environ["REQUIRED_COLUMNS"] = ""
        self.put("raw/a.csv", "anything\n\n")
        self.put("raw/b.csv", "x,y\n,\n")

        result = data_validation.handler({"execution_id": "free"}, None)

        self.assertEqual((result["objects"], result["rows"]), (2, 1))
        self.assertEqual(self.report("validation-reports/free.json")["null_fractions"], {})

    def test_missing_data_bucket_raises_value_error(self):
        del os.environ["DATA_BUCKET"]

        with self.assertRaisesRegex(ValueError, "DATA_BUCKET"):
            data_validation.handler({"bucket": BUCKET}, None)

    def test_invalid_numeric_settings_raise_value_error(self):
        for name, value in (("MIN_ROWS", "ten"), ("MIN_ROWS", "-1"), ("MAX_NULL_FRACTION", "1.5")):
            with self.subTest(name=name, value=value), mock.patch.dict(os.environ, {name: value}):
                with self.assertRaisesRegex(ValueError, name):
                    data_validation.handler({}, None)


if __name__ == "__main__":
    unittest.main()
