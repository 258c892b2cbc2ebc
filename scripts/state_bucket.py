#!/usr/bin/env python3
"""Helpers for tearing down a bootstrap stack (scripts/bootstrap.sh <env> destroy).

  state_bucket.py refuse-live-states BUCKET OWN_KEY   exit 1, naming them, while any other state in the bucket still
                                                      holds resources or is locked
  state_bucket.py empty BUCKET...                     delete every object version and delete marker in the buckets

Uses the caller's AWS credentials (boto3; AWS_ENDPOINT_URL is honoured).
"""
import json
import sys


def refuse_live_states(bucket, own_key):
    try:
        import boto3
    except ImportError:
        sys.exit("error: boto3 is needed to inspect the state bucket: python3 -m pip install boto3")
    s3 = boto3.client("s3")
    live, locked = [], []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            key = obj["Key"]
            if key.startswith(own_key):
                continue
            if key.endswith(".tflock"):
                locked.append(key)
            elif key.endswith(".tfstate"):
                state = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read() or b"{}")
                managed = [r for r in state.get("resources", []) if r.get("mode") == "managed"]
                if managed:
                    live.append((key, len(managed)))
    problems = [f"state s3://{bucket}/{k} still holds {n} resources" for k, n in live]
    problems += [f"s3://{bucket}/{k} is a lock: a run is in progress or crashed (docs/runbooks/stale-lock.md)" for k in locked]
    if problems:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        sys.exit("error: destroy those environments first (make destroy ENV=<env> CONFIRM=\"destroy <env>\"); "
                 "the bootstrap holds their state and locks")


def empty(buckets):
    """Versions first, then delete markers, in batches of 1000 (the DeleteObjects limit)."""
    import boto3
    s3 = boto3.client("s3")
    for bucket in buckets:
        versions, markers = [], []
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            versions += [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in page.get("Versions", [])]
            markers += [{"Key": m["Key"], "VersionId": m["VersionId"]} for m in page.get("DeleteMarkers", [])]
        for batch in (versions, markers):
            for i in range(0, len(batch), 1000):
                result = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch[i:i + 1000], "Quiet": True})
                if result.get("Errors"):
                    sys.exit(f"error: could not empty s3://{bucket}: {result['Errors'][:3]}")
        print(f"emptied s3://{bucket}: {len(versions)} object versions, {len(markers)} delete markers")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "refuse-live-states":
        refuse_live_states(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "empty":
        empty(sys.argv[2:])
    else:
        sys.exit(__doc__)
