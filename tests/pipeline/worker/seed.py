"""The AWS state a scenario starts from: the stack's buckets, topics and model package groups, and raw data."""
from __future__ import annotations

import csv
import io
from typing import Any

import boto3


def seed(stack: dict[str, Any], data: str) -> None:
    region = stack["region"]
    s3 = boto3.client("s3", region_name=region)
    for bucket in stack["buckets"]:
        s3.create_bucket(Bucket=bucket)
    sns = boto3.client("sns", region_name=region)
    for topic in stack["topics"]:
        sns.create_topic(Name=topic.rsplit(":", 1)[1])
    sagemaker = boto3.client("sagemaker", region_name=region)
    for group in stack["model_package_groups"]:
        sagemaker.create_model_package_group(ModelPackageGroupName=group)
    validation = next((f for f in stack["functions"].values() if "REQUIRED_COLUMNS" in f["environment"]), None)
    if validation is None:
        raise RuntimeError("no Lambda function with REQUIRED_COLUMNS: cannot tell where the raw data goes")
    env = validation["environment"]
    s3.put_object(Bucket=env["DATA_BUCKET"], Key=f"{env.get('RAW_PREFIX', 'raw/')}2026/12/part-0000.csv",
                  Body=raw_csv(env, data).encode("utf-8"))


def raw_csv(env: dict[str, str], data: str) -> str:
    """`good` meets the function's configured rules; `invalid` lacks the last required column."""
    columns = [c.strip() for c in env["REQUIRED_COLUMNS"].split(",") if c.strip()] + ["spend_30d"]
    if data == "invalid":
        columns.pop(-2)
    elif data != "good":
        raise ValueError(f"unknown data kind {data!r}")
    rows = int(env.get("MIN_ROWS", "1")) + 50
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for index in range(rows):
        writer.writerow([f"{column}-{index}" if column != "spend_30d" else index % 97 for column in columns])
    return text.getvalue()
