"""A terraform command on the stand-in that fails on a state lock it created itself.

terraform's S3 backend takes the S3 lock file, then puts the DynamoDB lock item with `attribute_not_exists(LockID)`.
When the SDK sends that PutItem again after a first attempt that did reach the table (a lost response; terraform issue
16630 describes it on AWS), the second attempt fails the condition, terraform reports the lock error with its own
lock's info, releases its lock file, and leaves the DynamoDB item behind. On the stand-in this happened in about one
e2e run in three on this 2-core machine. The signature: the DynamoDB item holds the ID the error names, was created
after the command started, and no S3 lock file is there (a live holder has both)."""
import datetime
import re

LOCK_ERROR = "Error acquiring the state lock"


def created_at(text):
    """The UTC time, to the second, of a lock's 'Created' value: the lock info's JSON ('2026-12-07T23:41:58.26Z', how
    terraform stores it) or its printed form ('2026-12-07 23:41:58.265297646 +0000 UTC')."""
    match = re.match(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)", text)
    if match is None:
        return None
    return datetime.datetime.strptime(" ".join(match.groups()), "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)


def reported_id(output):
    """The lock ID on the 'ID:' line of a lock error, or None."""
    match = re.search(r"ID:\s+([0-9a-f-]{36})", output)
    return match.group(1) if match else None


def orphaned_own_lock(output, started, dynamodb_lock, lock_file):
    """The ID of the DynamoDB lock the failed command left itself, or None when the lock error is anything else.
    output: the command's output; started: when it started (UTC, whole seconds are enough); dynamodb_lock and
    lock_file: the lock info now in the table and in the S3 lock file (None when absent)."""
    if LOCK_ERROR not in output or "ConditionalCheckFailed" not in output:
        return None
    reported = reported_id(output)
    if reported is None or dynamodb_lock is None or lock_file is not None:
        return None
    if dynamodb_lock.get("ID") != reported:
        return None
    created = created_at(dynamodb_lock.get("Created", ""))
    if created is None or created < started.replace(microsecond=0):
        return None
    return reported
