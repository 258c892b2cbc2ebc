"""AWS Glue 4.0 (PySpark) job: crawled raw CSV table -> cleaned Parquet, one folder per training channel.

Job arguments: --JOB_NAME, --DATABASE, --TABLE, --OUTPUT_PATH, --SPLITS (e.g. train:80,validation:20) and
--SPLIT_COLUMN. Each record goes to the channel its SPLIT_COLUMN value hashes to, so a record stays in its channel
across runs; output is partitioned split=<channel>/ingest_date=<date>/. Run it with job bookmarks enabled
(--job-bookmark-option job-bookmark-enable) so each run only processes newly arrived files.
awsglue and pyspark are imported inside main() so that the pure helpers import anywhere.
"""
from __future__ import annotations

import re
import sys
from datetime import datetime, timezone

PARTITION_COLUMN = "ingest_date"
SPLIT_PARTITION = "split"
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_CHANNEL = re.compile(r"^[A-Za-z0-9.\-_]{1,64}$")


def parse_splits(text: str) -> list[tuple[str, int]]:
    """Parses "train:80,validation:20" into [("train", 80), ("validation", 20)]; shares must add up to 100."""
    splits = []
    for part in text.split(","):
        channel, sep, percent = part.strip().partition(":")
        if not sep or not _CHANNEL.match(channel) or not percent.isdigit() or not 1 <= int(percent) <= 100:
            raise ValueError(f"--SPLITS entry {part!r} is not <channel>:<percent 1-100>, e.g. train:80")
        splits.append((channel, int(percent)))
    if len({c for c, _ in splits}) != len(splits) or sum(p for _, p in splits) != 100:
        raise ValueError(f"--SPLITS {text!r}: name each channel once, with shares adding up to 100")
    return splits


def split_expression(column: str, splits: list[tuple[str, int]]) -> str:
    """A Spark SQL expression giving each record's channel from a stable hash (0-99 bucket) of `column`."""
    bucket = f"pmod(xxhash64(`{column}`), 100)"
    cases, upper = [], 0
    for channel, percent in splits[:-1]:
        upper += percent
        cases.append(f"WHEN {bucket} < {upper} THEN '{channel}'")
    return f"CASE {' '.join(cases)} ELSE '{splits[-1][0]}' END" if cases else f"'{splits[-1][0]}'"


def normalize_column_names(names: list[str]) -> list[str]:
    """Lower-cases, turns every run of non [a-z0-9] characters into "_" and trims "_" at the ends.

    A name left empty becomes "column". Repeated names keep the first occurrence and get "_2",
    "_3", ... in order, skipping suffixes that another column already uses.
    """
    bases = [_NON_ALPHANUMERIC.sub("_", name.strip().lower()).strip("_") or "column" for name in names]
    taken = set(bases)
    seen: set[str] = set()
    result = []
    for base in bases:
        if base not in seen:
            seen.add(base)
            result.append(base)
            continue
        suffix = 2
        while f"{base}_{suffix}" in taken:
            suffix += 1
        name = f"{base}_{suffix}"
        taken.add(name)
        result.append(name)
    return result


def main() -> None:
    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext
    from pyspark.sql import functions as F

    args = getResolvedOptions(sys.argv, ["JOB_NAME", "DATABASE", "TABLE", "OUTPUT_PATH", "SPLITS", "SPLIT_COLUMN"])
    splits = parse_splits(args["SPLITS"])
    glue_context = GlueContext(SparkContext.getOrCreate())
    logger = glue_context.get_logger()
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)

    source = glue_context.create_dynamic_frame.from_catalog(
        database=args["DATABASE"], table_name=args["TABLE"], transformation_ctx="source"
    )
    frame = source.toDF()
    # With bookmarks a run without new files gets an empty frame (possibly without columns).
    if not frame.columns or frame.isEmpty():
        logger.info(f"no new rows in {args['DATABASE']}.{args['TABLE']}; nothing written")
        job.commit()
        return

    ingest_date = datetime.now(timezone.utc).date().isoformat()
    columns = normalize_column_names(frame.columns)
    if args["SPLIT_COLUMN"] not in columns:
        raise ValueError(f"--SPLIT_COLUMN {args['SPLIT_COLUMN']!r} is not a column of {args['TABLE']} ({', '.join(columns)})")
    cleaned = (
        frame.toDF(*columns)
        .dropna(how="all")
        .dropDuplicates()
        .withColumn(SPLIT_PARTITION, F.expr(split_expression(args["SPLIT_COLUMN"], splits)))
        .withColumn(PARTITION_COLUMN, F.lit(ingest_date))
    )
    glue_context.write_dynamic_frame.from_options(
        frame=DynamicFrame.fromDF(cleaned, glue_context, "cleaned"),
        connection_type="s3",
        connection_options={"path": args["OUTPUT_PATH"], "partitionKeys": [SPLIT_PARTITION, PARTITION_COLUMN]},
        format="glueparquet",
        transformation_ctx="sink",
    )
    job.commit()


if __name__ == "__main__":
    main()
