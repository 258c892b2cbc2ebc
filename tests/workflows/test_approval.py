"""scripts/approval.py: the approval of destructive changes goes from the pull request's plan comment to the
approvals file of the deploy, and nothing but the workflow's own marker, for the merged head, on a labelled pull
request merged as the deployed commit, approves anything."""
import base64
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "approval.py")
spec = importlib.util.spec_from_file_location("approval", SCRIPT)
approval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(approval)

MERGE = "a" * 40
HEAD = "b" * 40
BUCKET = "aws_s3_bucket.data-bucket_bucket_6B3E5F1A"
TABLE = "aws_sagemaker_feature_group.feature-store_group_1"


def pull(labels=("approve-destructive",), merged=True, merge_sha=MERGE, base="main", number=12, head=HEAD):
    return {"number": number, "merged_at": "2026-12-01T10:00:00Z" if merged else None, "merge_commit_sha": merge_sha,
            "base": {"ref": base}, "head": {"sha": head}, "labels": [{"name": l} for l in labels]}


def marker(environments, head=HEAD):
    payload = json.dumps({"version": 1, "head_sha": head, "environments": environments})
    return f"## Terraform plans\n\n<!-- mlopstf-destructive-approval:v1 {base64.b64encode(payload.encode()).decode()} -->\n"


def comment(body, login="github-actions[bot]", kind="Bot", id=100, updated="2026-12-01T09:00:00Z"):
    return {"id": id, "user": {"login": login, "type": kind}, "body": body, "updated_at": updated}


DEV = {"dev": [{"address": BUCKET, "action": "replace"}, {"address": TABLE, "action": "delete"}], "prod": []}


class Approvals(unittest.TestCase):
    def test_the_bot_s_marker_on_a_labelled_pull_request_approves_exactly_its_changes(self):
        changes, source = approval.approvals(pull(), [comment(marker(DEV))], "dev")
        self.assertEqual([{"address": BUCKET, "action": "replace"}, {"address": TABLE, "action": "delete"}], changes)
        self.assertIn("#12", source)
        self.assertEqual([], approval.approvals(pull(), [comment(marker(DEV))], "prod")[0])
        self.assertEqual([], approval.approvals(pull(), [comment(marker(DEV))], "staging")[0])

    def test_without_the_label_nothing_is_approved(self):
        changes, reason = approval.approvals(pull(labels=("other",)), [comment(marker(DEV))], "dev")
        self.assertEqual([], changes)
        self.assertIn("does not carry the label approve-destructive", reason)

    def test_without_a_marker_nothing_is_approved(self):
        changes, reason = approval.approvals(pull(), [comment("## Terraform plans\n\nno marker here")], "dev")
        self.assertEqual([], changes)
        self.assertIn("no comment of github-actions[bot] records an approval", reason)

    def test_a_marker_written_by_anyone_but_the_workflow_s_bot_is_ignored(self):
        for login, kind in (("mallory", "User"), ("github-actions[bot]", "User"), ("other-app[bot]", "Bot")):
            with self.subTest(login=login, kind=kind):
                changes, reason = approval.approvals(pull(), [comment(marker(DEV), login=login, kind=kind)], "dev")
                self.assertEqual([], changes)
                self.assertIn("not github-actions[bot]", reason)

    def test_a_marker_for_an_earlier_head_is_ignored(self):
        changes, reason = approval.approvals(pull(), [comment(marker(DEV, head="c" * 40))], "dev")
        self.assertEqual([], changes)
        self.assertIn("not of the merged head", reason)

    def test_the_latest_marker_for_the_merged_head_wins(self):
        older = comment(marker({"dev": [{"address": TABLE, "action": "delete"}]}), id=1, updated="2026-12-01T08:00:00Z")
        newer = comment(marker({"dev": [{"address": BUCKET, "action": "replace"}]}), id=2, updated="2026-12-01T09:00:00Z")
        self.assertEqual([{"address": BUCKET, "action": "replace"}], approval.approvals(pull(), [newer, older], "dev")[0])

    def test_malformed_markers_approve_nothing(self):
        bad = [
            "<!-- mlopstf-destructive-approval:v1 not*base64 -->",
            "<!-- mlopstf-destructive-approval:v1 " + base64.b64encode(b"not json").decode() + " -->",
            marker({"dev": [{"address": BUCKET, "action": "update"}]}),
            marker({"dev": [{"address": "", "action": "delete"}]}),
            marker({"dev": BUCKET}),
            marker(DEV, head="short"),
        ]
        for body in bad:
            with self.subTest(body=body[:60]):
                self.assertEqual([], approval.approvals(pull(), [comment(body)], "dev")[0])

    def test_only_the_pull_request_merged_into_main_as_the_commit_counts(self):
        self.assertEqual(12, approval.merged_pull_request([pull()], MERGE)[0]["number"])
        for label, pulls in (("not merged", [pull(merged=False)]), ("other merge commit", [pull(merge_sha="d" * 40)]),
                             ("merged into another branch", [pull(base="release")]), ("no pull request", []),
                             ("two candidates", [pull(number=1), pull(number=2)])):
            with self.subTest(label):
                found, reason = approval.merged_pull_request(pulls, MERGE)
                self.assertIsNone(found)
                self.assertTrue(reason)

    def test_paginated_comments_are_read_as_one_list(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "comments.json")
            for text in ('[{"id": 1}, {"id": 2}]\n[{"id": 3}]\n', '[[{"id": 1}, {"id": 2}], [{"id": 3}]]', '[{"id": 1},{"id": 2},{"id": 3}]'):
                with open(path, "w") as f:
                    f.write(text)
                self.assertEqual([1, 2, 3], [c["id"] for c in approval.read_json_stream(path)])
            with open(path, "w") as f:
                f.write("[{]")
            with self.assertRaises(approval.InputError):
                approval.read_json_stream(path)


class CommandLine(unittest.TestCase):
    def run_script(self, *args):
        return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=60)

    def test_the_marker_the_pr_writes_is_the_approval_the_deploy_reads(self):
        with tempfile.TemporaryDirectory() as d:
            verdicts = os.path.join(d, "plans")
            os.mkdir(verdicts)
            for env, destructive in (("dev", [{"address": BUCKET, "type": "aws_s3_bucket", "action": "replace"}]), ("prod", [])):
                with open(os.path.join(verdicts, f"{env}.verdict.json"), "w") as f:
                    json.dump({"stack": env, "verdict": "approved", "destructive": destructive}, f)
            out = os.path.join(verdicts, "approval-marker.md")
            result = self.run_script("marker", "--verdicts", verdicts, "--head-sha", HEAD, "--out", out)
            self.assertEqual(0, result.returncode, result.stderr)
            with open(out) as f:
                body = f.read()
            self.assertIn(f"- dev: `{BUCKET}` (replace)", body)
            self.assertIn("- prod: none", body)

            pulls, comments, approved = (os.path.join(d, n) for n in ("pulls.json", "comments.json", "approved.json"))
            with open(pulls, "w") as f:
                json.dump([pull()], f)
            with open(comments, "w") as f:
                json.dump([comment("<!-- mlopstf-plan-summary -->\n" + body)], f)
            number = self.run_script("pull-request", "--pulls", pulls, "--sha", MERGE)
            self.assertEqual(("12", 0), (number.stdout.strip(), number.returncode))
            for env, expected in (("dev", [{"address": BUCKET, "action": "replace"}]), ("prod", []), ("staging", [])):
                result = self.run_script("extract", "--pulls", pulls, "--comments", comments, "--sha", MERGE,
                                         "--environment", env, "--out", approved)
                self.assertEqual(0, result.returncode, result.stderr)
                with open(approved) as f:
                    written = json.load(f)
                self.assertEqual((1, {env: expected}), (written["version"], written["environments"]))

    def test_a_commit_no_pull_request_was_merged_as_approves_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            pulls, comments, approved = (os.path.join(d, n) for n in ("pulls.json", "comments.json", "approved.json"))
            with open(pulls, "w") as f:
                json.dump([pull(merge_sha="d" * 40)], f)
            with open(comments, "w") as f:
                f.write("[]")
            number = self.run_script("pull-request", "--pulls", pulls, "--sha", MERGE)
            self.assertEqual(("", 0), (number.stdout.strip(), number.returncode))
            self.assertIn("no pull request was merged into main", number.stderr)
            result = self.run_script("extract", "--pulls", pulls, "--comments", comments, "--sha", MERGE,
                                     "--environment", "dev", "--out", approved)
            self.assertEqual(0, result.returncode, result.stderr)
            with open(approved) as f:
                self.assertEqual({"dev": []}, json.load(f)["environments"])

    def test_input_that_is_not_gh_api_json_is_an_error(self):
        with tempfile.TemporaryDirectory() as d:
            pulls = os.path.join(d, "pulls.json")
            with open(pulls, "w") as f:
                f.write("<html>rate limited</html>")
            result = self.run_script("pull-request", "--pulls", pulls, "--sha", MERGE)
            self.assertEqual(2, result.returncode)
            self.assertIn("is not the JSON gh api returns", result.stderr)
            result = self.run_script("marker", "--verdicts", d, "--head-sha", "main", "--out", os.path.join(d, "m.md"))
            self.assertEqual(2, result.returncode)
            self.assertIn("is not a 40-character commit id", result.stderr)


class PlanScript(unittest.TestCase):
    """scripts/plan.sh checks the approval variables before it plans anything."""

    def plan(self, **env):
        with tempfile.TemporaryDirectory() as d:
            return subprocess.run(["bash", os.path.join(ROOT, "scripts", "plan.sh"), "dev"], capture_output=True, text=True,
                                  timeout=60, env={**os.environ, "CDKTF_OUTDIR": d, **env})

    def test_both_kinds_of_approval_at_once_are_refused(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            result = self.plan(APPROVE_DESTRUCTIVE="1", APPROVED_DESTRUCTIVE_FILE=f.name)
        self.assertNotEqual(0, result.returncode)
        self.assertIn("not both", result.stderr)

    def test_a_missing_approvals_file_is_refused(self):
        result = self.plan(APPROVED_DESTRUCTIVE_FILE="/nonexistent/approved.json")
        self.assertNotEqual(0, result.returncode)
        self.assertIn("APPROVED_DESTRUCTIVE_FILE=/nonexistent/approved.json does not exist", result.stderr)

    def test_an_existing_approvals_file_gets_as_far_as_the_stack(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            result = self.plan(APPROVED_DESTRUCTIVE_FILE=f.name)
        self.assertIn("no synthesized stack", result.stderr)


if __name__ == "__main__":
    unittest.main()
