"""Checks request parameters and recorded responses against the API shapes in botocore's service models.

botocore's own parameter validation checks required members and types; AWS also rejects values outside an
enum, a length or value range, or a pattern, so those are checked here too.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any

import botocore.session


@cache
def service_model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def input_problems(service: str, operation: str, params: Any) -> list[str]:
    shape = service_model(service).operation_model(operation).input_shape
    return _problems(shape, params, operation)


def output_problems(service: str, operation: str, value: Any) -> list[str]:
    shape = service_model(service).operation_model(operation).output_shape
    return _problems(shape, value, f"{operation} output")


def shape_problems(service: str, shape_name: str, value: Any) -> list[str]:
    return _problems(service_model(service).shape_for(shape_name), value, shape_name)


def defines_error(service: str, error_code: str) -> bool:
    model = service_model(service)
    for name in model.shape_names:
        shape = model.shape_for(name)
        if shape.metadata.get("exception") and error_code in (name, shape.metadata.get("error", {}).get("code")):
            return True
    return False


@cache
def _pattern(text: str) -> re.Pattern[str] | None:
    try:
        return re.compile(text)
    except re.error:  # Java-only constructs such as \p{L}: AWS checks them, this checker cannot
        return None


def _problems(shape: Any, value: Any, where: str) -> list[str]:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        problems = [f"{where}: missing required member {m}" for m in shape.required_members if m not in value]
        for key, item in value.items():
            member = shape.members.get(key)
            if member is None:
                problems.append(f"{where}: unknown member {key}")
            else:
                problems += _problems(member, item, f"{where}.{key}")
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return [f"{where}: expected a list, got {type(value).__name__}"]
        problems = _range(shape, len(value), where, "length")
        for index, item in enumerate(value):
            problems += _problems(shape.member, item, f"{where}[{index}]")
        return problems
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{where}: expected a map, got {type(value).__name__}"]
        problems = []
        for key, item in value.items():
            problems += _problems(shape.key, key, f"{where} key {key!r}")
            problems += _problems(shape.value, item, f"{where}[{key!r}]")
        return problems
    if kind == "string":
        if not isinstance(value, str):
            return [f"{where}: expected a string, got {type(value).__name__}"]
        problems = _range(shape, len(value), where, "length")
        if shape.enum and value not in shape.enum:
            problems.append(f"{where}: {value!r} is not one of {', '.join(shape.enum)}")
        pattern = shape.metadata.get("pattern")
        compiled = _pattern(pattern) if pattern else None
        if compiled and not compiled.fullmatch(value):
            problems.append(f"{where}: {value!r} does not match the pattern {pattern}")
        return problems
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{where}: expected an integer, got {value!r}"]
        return _range(shape, value, where, "value")
    if kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [f"{where}: expected a number, got {value!r}"]
        return _range(shape, value, where, "value")
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: expected a boolean, got {value!r}"]
    if kind == "timestamp":
        return [] if isinstance(value, (int, float, str)) else [f"{where}: expected a timestamp, got {value!r}"]
    return []


def _range(shape: Any, measure: float, where: str, what: str) -> list[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and measure < low:
        return [f"{where}: {what} {measure} is below the minimum {low}"]
    if high is not None and measure > high:
        return [f"{where}: {what} {measure} is above the maximum {high}"]
    return []
