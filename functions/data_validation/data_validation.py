"""Validates the raw training CSVs in S3 before the preprocessing step of the pipeline.

Every problem found is collected and written to a JSON report in DATA_BUCKET; when there is at
least one, DataValidationError is raised so that the Step Functions state fails (or is caught
by that error name). The event keys `bucket` and `prefix` only redirect where the raw data is
read; the report always goes to DATA_BUCKET.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import boto3


class DataValidationError(Exception):
    """The raw data breaks at least one rule; `problems` holds every one of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"data validation failed with {len(problems)} problem(s): " + "; ".join(problems))


@dataclass(frozen=True)
class Config:
    data_bucket: str
    source_bucket: str
    prefix: str
    required_columns: list[str]
    min_rows: int
    max_null_fraction: float
    report_prefix: str


@dataclass
class Tally:
    """Counts accumulated over every object read."""

    rows: int = 0
    rows_per_object: dict[str, int] = field(default_factory=dict)
    # Per required column: rows of the files whose header has the column, and empty values among them.
    column_rows: dict[str, int] = field(default_factory=dict)
    column_empty: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@functools.cache
def s3_client() -> Any:
    """One S3 client per warm Lambda container, created on first use."""
    return boto3.client("s3")


def load_config(event: dict[str, Any]) -> Config:
    data_bucket = os.environ.get("DATA_BUCKET")
    if not data_bucket:
        raise ValueError("environment variable DATA_BUCKET is required")
    prefix = event.get("prefix")
    if prefix is None:
        prefix = os.environ.get("RAW_PREFIX", "raw/")
    required = [c.strip() for c in os.environ.get("REQUIRED_COLUMNS", "").split(",") if c.strip()]

    raw_min_rows = os.environ.get("MIN_ROWS", "1")
    try:
        min_rows = int(raw_min_rows)
    except ValueError:
        raise ValueError(f"MIN_ROWS must be an integer, got {raw_min_rows!r}") from None
    if min_rows < 0:
        raise ValueError(f"MIN_ROWS must not be negative, got {min_rows}")

    raw_fraction = os.environ.get("MAX_NULL_FRACTION", "0.05")
    try:
        max_null_fraction = float(raw_fraction)
    except ValueError:
        raise ValueError(f"MAX_NULL_FRACTION must be a number, got {raw_fraction!r}") from None
    if not 0.0 <= max_null_fraction <= 1.0:
        raise ValueError(f"MAX_NULL_FRACTION must be between 0 and 1, got {raw_fraction!r}")

    return Config(
        data_bucket=data_bucket,
        source_bucket=event.get("bucket") or data_bucket,
        prefix=prefix,
        required_columns=required,
        min_rows=min_rows,
        max_null_fraction=max_null_fraction,
        report_prefix=os.environ.get("REPORT_PREFIX", "validation-reports/"),
    )


def list_csv_keys(bucket: str, prefix: str) -> list[str]:
    paginator = s3_client().get_paginator("list_objects_v2")
    return [
        obj["Key"]
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix)
        for obj in page.get("Contents", [])
        if obj["Key"].lower().endswith(".csv")
    ]


def scan_object(bucket: str, key: str, required_columns: list[str], tally: Tally) -> None:
    """Streams one CSV (header row first) into the tally; problems are recorded, not raised.

    A file that cannot be parsed to the end contributes no counts, only its problem.
    """
    location = f"s3://{bucket}/{key}"
    body = s3_client().get_object(Bucket=bucket, Key=key)["Body"]
    # utf-8-sig drops the byte-order mark spreadsheet exports put before the first header name.
    with io.TextIOWrapper(body, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        try:
            header = [name.strip() for name in next(reader, [])]
            if not header:
                tally.problems.append(f"{location}: empty file, no header row")
                return
            missing = [c for c in required_columns if c not in header]
            if missing:
                tally.problems.append(f"{location}: missing required columns: {', '.join(missing)}")
            positions = {c: header.index(c) for c in required_columns if c in header}
            empty = dict.fromkeys(positions, 0)
            rows = 0
            for row in reader:
                if not row:  # blank line
                    continue
                rows += 1
                for column, position in positions.items():
                    if position >= len(row) or not row[position].strip():
                        empty[column] += 1
        except (csv.Error, UnicodeDecodeError) as error:
            tally.problems.append(f"{location}: unreadable CSV: {error}")
            return
    tally.rows += rows
    tally.rows_per_object[key] = rows
    for column, count in empty.items():
        tally.column_rows[column] = tally.column_rows.get(column, 0) + rows
        tally.column_empty[column] = tally.column_empty.get(column, 0) + count


def null_fractions(required_columns: list[str], tally: Tally) -> dict[str, float | None]:
    """Empty-value fraction per required column; None when no row carried the column."""
    fractions: dict[str, float | None] = {}
    for column in required_columns:
        rows = tally.column_rows.get(column, 0)
        fractions[column] = tally.column_empty.get(column, 0) / rows if rows else None
    return fractions


def handler(event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    event = event or {}
    config = load_config(event)
    execution_id = event.get("execution_id") or datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    keys = list_csv_keys(config.source_bucket, config.prefix)
    tally = Tally()
    if not keys:
        tally.problems.append(f"no .csv objects found under s3://{config.source_bucket}/{config.prefix}")
    for key in keys:
        scan_object(config.source_bucket, key, config.required_columns, tally)

    if tally.rows < config.min_rows:
        tally.problems.append(f"too few rows: {tally.rows} found, at least {config.min_rows} required")
    fractions = null_fractions(config.required_columns, tally)
    for column, fraction in fractions.items():
        if fraction is not None and fraction > config.max_null_fraction:
            tally.problems.append(
                f"column {column}: null fraction {fraction:.4f} exceeds the maximum {config.max_null_fraction}"
            )

    valid = not tally.problems
    report_key = f"{config.report_prefix}{execution_id}.json"
    report = {
        "valid": valid,
        "execution_id": execution_id,
        "generated_at": datetime.now(timezone.utc).isoformat(),
        "bucket": config.source_bucket,
        "prefix": config.prefix,
        "objects": len(keys),
        "rows": tally.rows,
        "rows_per_object": tally.rows_per_object,
        "required_columns": config.required_columns,
        "null_fractions": fractions,
        "min_rows": config.min_rows,
        "max_null_fraction": config.max_null_fraction,
        "problems": tally.problems,
    }
    s3_client().put_object(
        Bucket=config.data_bucket,
        Key=report_key,
        Body=json.dumps(report, indent=2).encode("utf-8"),
        ContentType="application/json",
    )
    if not valid:
        raise DataValidationError(tally.problems)
    return {"valid": True, "objects": len(keys), "rows": tally.rows, "report_key": report_key}
