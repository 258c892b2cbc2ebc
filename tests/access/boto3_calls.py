#!/usr/bin/env python3
"""Lists the AWS operations a Lambda handler makes through boto3, read from its source.

Usage: boto3_calls.py FILE...   (a .py file, or NAME.zip:MODULE.py for a file inside a deployment archive)
Prints JSON: {FILE: [{"service": "s3", "operation": "GetObject", "line": 12}, ...]}.

A client is whatever `boto3.client("<service>")` returns, held in a variable or returned by a function; an operation
is a method called on it (its name mapped to the API's operation name by botocore's service model), or the operation
named in `get_paginator("<op>")`. A call on a client the scan cannot trace is an error, so the list cannot silently
fall behind the code.
"""
import ast
import json
import sys
import zipfile

import botocore.session

SESSION = botocore.session.get_session()
CLIENT_HELPERS = {"get_paginator", "get_waiter", "can_paginate", "close", "exceptions", "meta"}


def operation_names(service):
    model = SESSION.get_service_model(service)
    from botocore import xform_name

    return {xform_name(op): op for op in model.operation_names}


def read(spec):
    if ".zip:" in spec:
        archive, member = spec.split(".zip:", 1)
        with zipfile.ZipFile(archive + ".zip") as z:
            return z.read(member).decode("utf-8")
    with open(spec, encoding="utf-8") as f:
        return f.read()


def client_service(node):
    """'s3' for boto3.client("s3"), else None."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "client"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "boto3"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return node.args[0].value
    return None


def scan(source, label):
    tree = ast.parse(source)
    factories, variables = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return) and client_service(ret.value):
                    factories[node.name] = client_service(ret.value)
        if isinstance(node, ast.Assign) and client_service(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    variables[target.id] = client_service(node.value)

    def service_of(receiver):
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id in factories:
            return factories[receiver.func.id]
        if isinstance(receiver, ast.Name) and receiver.id in variables:
            return variables[receiver.id]
        return client_service(receiver)

    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        service = service_of(node.func.value)
        if service is None:
            continue
        method = node.func.attr
        ops = operation_names(service)
        if method == "get_paginator":
            arg = node.args[0] if node.args else None
            if not isinstance(arg, ast.Constant):
                raise SystemExit(f"{label}:{node.lineno}: get_paginator with a computed name; name the operation literally")
            method = arg.value
        elif method in CLIENT_HELPERS:
            continue
        if method not in ops:
            raise SystemExit(f"{label}:{node.lineno}: {service} has no operation {method}")
        calls.append({"service": service, "operation": ops[method], "line": node.lineno})
    if not factories and not variables and "boto3" in source:
        raise SystemExit(f"{label}: uses boto3 but no client could be traced; create clients with boto3.client(\"<service>\")")
    return calls


def main(specs):
    print(json.dumps({spec: scan(read(spec), spec) for spec in specs}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
