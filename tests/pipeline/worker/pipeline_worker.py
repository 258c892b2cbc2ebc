"""Answers the local interpreter's Task states for one stack: one JSON request per line on stdin, one reply per
line on stdout. Started with the stack's account id so that moto's in-process AWS lives in that account."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

STACK = json.loads(Path(sys.argv[1]).read_text())
DUMMY_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
             "AWS_DEFAULT_REGION": STACK["region"], "AWS_REGION": STACK["region"]}
os.environ.update({**DUMMY_AWS, "MOTO_ACCOUNT_ID": STACK["account"]})
os.environ.pop("AWS_PROFILE", None)

from moto import mock_aws  # noqa: E402  (moto reads MOTO_ACCOUNT_ID when it loads)
from moto.events.models import EventPattern  # noqa: E402

import api_shapes  # noqa: E402
from integrations import Hang, Integrations, TaskError  # noqa: E402
from lambda_runtime import LambdaRuntime, source_folder  # noqa: E402
from seed import seed  # noqa: E402


def main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # handlers' prints must not corrupt the replies
    scratch = tempfile.TemporaryDirectory(prefix="mlopstf-pipeline-")
    sources = {}
    for function in STACK["functions"].values():
        module = function["handler"].rpartition(".")[0]
        archive = function.pop("archive", None)
        function["source"], sources[function["name"]] = source_folder(Path(STACK["stack_dir"]), archive, module, Path(scratch.name))
    mock = mock_aws()
    mock.start()
    integrations = Integrations(STACK, LambdaRuntime(DUMMY_AWS))
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = {"sources": sources} if request["op"] == "sources" else handle(request, integrations, mock)
        except Exception as error:  # a stand-in bug or an unsupported request: the scenario fails, loudly
            traceback.print_exc()
            reply = {"fatal": f"{type(error).__name__}: {error}"}
        replies.write(json.dumps(reply, default=str) + "\n")
    scratch.cleanup()


def handle(request: dict, integrations: Integrations, mock) -> dict:
    op = request["op"]
    if op == "reset":
        mock.reset()
        seed(STACK, request["scenario"].get("data", "good"))
        integrations.reset(request["scenario"])
        return {"ok": True}
    if op == "task":
        try:
            result, seconds = integrations.run(request["state"], request["resource"], request["parameters"])
            return {"result": result, "seconds": seconds}
        except TaskError as error:
            return {"error": {"Error": error.error, "Cause": error.cause}}
        except Hang:
            return {"hang": True}
    if op == "records":
        return {"records": integrations.records}
    if op == "defines_error":
        return {"defined": api_shapes.defines_error(request["service"], request["code"])}
    if op == "match":
        return {"match": EventPattern.load(request["pattern"]).matches_event(request["event"])}
    raise ValueError(f"unknown op {op}")


if __name__ == "__main__":
    main()
