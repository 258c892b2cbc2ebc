"""AWS Glue 4.0 (PySpark) job: crawled raw CSV table -> cleaned Parquet partitioned by ingest_date.

Job arguments: --JOB_NAME, --DATABASE, --TABLE, --OUTPUT_PATH. Run it with job bookmarks enabled
(--job-bookmark-option job-bookmark-enable) so each run only processes newly arrived files.
awsglue and pyspark are imported inside main() so that the pure helpers import anywhere.
"""
from __future__ import annotations

import re
import sys
from datetime import datetime, timezone

PARTITION_COLUMN = "ingest_date"
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


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

    args = getResolvedOptions(sys.argv, ["JOB_NAME", "DATABASE", "TABLE", "OUTPUT_PATH"])
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
    cleaned = (
        frame.toDF(*normalize_column_names(frame.columns))
        .dropna(how="all")
        .dropDuplicates()
        .withColumn(PARTITION_COLUMN, F.lit(ingest_date))
    )
    glue_context.write_dynamic_frame.from_options(
        frame=DynamicFrame.fromDF(cleaned, glue_context, "cleaned"),
        connection_type="s3",
        connection_options={"path": args["OUTPUT_PATH"], "partitionKeys": [PARTITION_COLUMN]},
        format="glueparquet",
        transformation_ctx="sink",
    )
    job.commit()


if __name__ == "__main__":
    main()
