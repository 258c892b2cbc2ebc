"""Runs a synthesized Lambda function's real handler in this process, the way the Lambda runtime would."""
from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
import traceback
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]


@dataclass
class Function:
    name: str
    handler: str
    environment: dict[str, str]
    source: Path  # folder that holds the handler module


class Context:
    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.aws_request_id = str(uuid.uuid4())
        self.memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def source_folder(stack_dir: Path, archive: str | None, module: str, scratch: Path) -> tuple[Path, str]:
    """Where the handler module is, and what it is: the stack's deployed asset when the stack folder has it
    (synthesized stacks do, reviewed snapshots do not), else the handler's folder under functions/."""
    if archive and (stack_dir / archive).is_file():
        target = Path(tempfile.mkdtemp(dir=scratch))
        with zipfile.ZipFile(stack_dir / archive) as bundle:
            bundle.extractall(target)
        if not (target / f"{module}.py").is_file():
            raise RuntimeError(f"asset {archive} has no {module}.py")
        return target, f"asset {archive}"
    matches = sorted((REPO / "functions").glob(f"*/{module}.py"))
    if len(matches) != 1:
        raise RuntimeError(f"handler module {module}.py: expected one file under functions/, found {len(matches)}")
    return matches[0].parent, f"{matches[0].relative_to(REPO)} (no asset in the stack folder)"


class LambdaRuntime:
    def __init__(self, base_environment: dict[str, str]) -> None:
        self.base_environment = base_environment
        self.modules: dict[Path, Any] = {}
        self.set_variables: set[str] = set()

    def _module(self, function: Function) -> Any:
        module_name, _, _ = function.handler.rpartition(".")
        path = function.source / f"{module_name}.py"
        if path not in self.modules:
            spec = importlib.util.spec_from_file_location(f"lambda_{function.name.replace('-', '_')}", path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            sys.path.insert(0, str(function.source))
            try:
                spec.loader.exec_module(module)
            finally:
                sys.path.remove(str(function.source))
            self.modules[path] = module
        return self.modules[path]

    def _use_environment(self, function: Function) -> None:
        for name in self.set_variables:
            os.environ.pop(name, None)
        variables = {**self.base_environment, **function.environment, "AWS_LAMBDA_FUNCTION_NAME": function.name}
        os.environ.update(variables)
        self.set_variables = set(variables)

    def invoke(self, function: Function, payload: Any) -> tuple[bool, Any]:
        """(True, result) or (False, the error object the Lambda service returns for a function error)."""
        self._use_environment(function)
        entry = getattr(self._module(function), function.handler.rpartition(".")[2])
        context = Context(function.name)
        try:
            result = entry(json.loads(json.dumps(payload)), context)
            return True, json.loads(json.dumps(result))
        except Exception as error:  # the runtime reports any exception the handler lets out
            return False, {
                "errorMessage": str(error),
                "errorType": type(error).__name__,
                "requestId": context.aws_request_id,
                "stackTrace": traceback.format_tb(error.__traceback__),
            }
