import sys
import unittest
from pathlib import Path

SCRIPT_DIR = str(Path(__file__).resolve().parent.parent / "glue_preprocess")
if SCRIPT_DIR not in sys.path:
    sys.path.insert(0, SCRIPT_DIR)

import preprocess  # noqa: E402


class NormalizeColumnNamesTests(unittest.TestCase):
    def test_lower_cases_and_replaces_non_alphanumerics(self):
        self.assertEqual(
            preprocess.normalize_column_names(["Customer ID", "Sign-Up Date", "amount($)", "zip.code"]),
            ["customer_id", "sign_up_date", "amount", "zip_code"],
        )

    def test_strips_whitespace_and_edge_underscores_and_collapses_runs(self):
        self.assertEqual(
            preprocess.normalize_column_names(["  Label  ", "__score__", "a -- b", "Été"]),
            ["label", "score", "a_b", "t"],
        )

    def test_empty_names_get_a_placeholder(self):
        self.assertEqual(preprocess.normalize_column_names(["", "%%", " "]), ["column", "column_2", "column_3"])

    def test_duplicates_get_numbered_suffixes_in_order(self):
        self.assertEqual(
            preprocess.normalize_column_names(["Amount", "amount", "AMOUNT ", "id"]),
            ["amount", "amount_2", "amount_3", "id"],
        )

    def test_suffix_skips_names_already_in_use(self):
        self.assertEqual(
            preprocess.normalize_column_names(["a", "A", "a_2", "a 2"]),
            ["a", "a_3", "a_2", "a_2_2"],
        )

    def test_clean_names_are_unchanged(self):
        names = ["id", "label", "feature_1"]
        self.assertEqual(preprocess.normalize_column_names(names), names)

    def test_empty_list(self):
        self.assertEqual(preprocess.normalize_column_names([]), [])


class SplitTests(unittest.TestCase):
    def test_parses_channels_and_shares(self):
        self.assertEqual(preprocess.parse_splits("train:80,validation:20"), [("train", 80), ("validation", 20)])
        self.assertEqual(preprocess.parse_splits(" train:70 , validation:20 , test:10 "), [("train", 70), ("validation", 20), ("test", 10)])
        self.assertEqual(preprocess.parse_splits("train:100"), [("train", 100)])

    def test_refuses_shares_that_do_not_add_up_to_100(self):
        with self.assertRaisesRegex(ValueError, "adding up to 100"):
            preprocess.parse_splits("train:80,validation:30")

    def test_refuses_a_channel_twice(self):
        with self.assertRaisesRegex(ValueError, "each channel once"):
            preprocess.parse_splits("train:50,train:50")

    def test_refuses_malformed_entries(self):
        for text in ["train", "train:0,validation:100", "tr ain:80,validation:20", "train:x,validation:20"]:
            with self.subTest(text=text), self.assertRaisesRegex(ValueError, "--SPLITS"):
                preprocess.parse_splits(text)

    def test_expression_assigns_cumulative_hash_buckets_and_the_last_channel_the_rest(self):
        expression = preprocess.split_expression("customer_id", [("train", 70), ("validation", 20), ("test", 10)])
        bucket = "pmod(xxhash64(`customer_id`), 100)"
        self.assertEqual(
            expression,
            f"CASE WHEN {bucket} < 70 THEN 'train' WHEN {bucket} < 90 THEN 'validation' ELSE 'test' END",
        )

    def test_expression_for_one_channel_is_a_constant(self):
        self.assertEqual(preprocess.split_expression("id", [("train", 100)]), "'train'")


class ImportTests(unittest.TestCase):
    def test_module_does_not_load_spark_or_glue(self):
        self.assertNotIn("pyspark", sys.modules)
        self.assertNotIn("awsglue", sys.modules)
        self.assertTrue(callable(preprocess.main))


if __name__ == "__main__":
    unittest.main()
