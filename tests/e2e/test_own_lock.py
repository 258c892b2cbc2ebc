"""own_lock.orphaned_own_lock: which lock errors of the e2e run are a command's own lock left behind (a DynamoDB
PutItem that reached the table twice), and which are real holders the run must still report."""
import datetime
import unittest

import own_lock

ID = "3d5dc105-9aa2-45c8-cb49-cf766982f3f3"
STARTED = datetime.datetime(2026, 12, 7, 23, 41, 57, 600000, tzinfo=datetime.timezone.utc)
# The error of the failure seen in a clean-clone .ci/run on 2026-12-07 (make apply's refresh, step 6), shortened.
OUTPUT = f"""Acquiring state lock. This may take a few moments...
Error: Error acquiring the state lock
Error message: operation error DynamoDB: PutItem, https response error
StatusCode: 400, RequestID: Y90f, ConditionalCheckFailedException: The conditional request failed
Lock Info:
  ID:        {ID}
  Path:      mlopstf-tfstate-111122223333-us-east-1/envs/dev/terraform.tfstate
  Operation: OperationTypeApply
  Who:       root@vm
  Version:   1.11.4
  Created:   2026-12-07 23:41:58.265297646 +0000 UTC
"""


def lock(created="2026-12-07T23:41:58.265297646Z", lock_id=ID):
    return {"ID": lock_id, "Operation": "OperationTypeApply", "Who": "root@vm", "Created": created}


class OrphanedOwnLock(unittest.TestCase):
    def test_a_lock_the_command_created_and_left_in_dynamodb_only_is_its_own(self):
        self.assertEqual(ID, own_lock.orphaned_own_lock(OUTPUT, STARTED, lock(), None))

    def test_a_lock_created_before_the_command_started_is_a_real_holder(self):
        self.assertIsNone(own_lock.orphaned_own_lock(OUTPUT, STARTED, lock(created="2026-12-07T23:41:50Z"), None))

    def test_a_holder_with_its_lock_file_is_alive(self):
        self.assertIsNone(own_lock.orphaned_own_lock(OUTPUT, STARTED, lock(), lock()))

    def test_a_table_holding_another_lock_is_not_the_reported_one(self):
        self.assertIsNone(own_lock.orphaned_own_lock(OUTPUT, STARTED, lock(lock_id="0" * 8 + ID[8:]), None))

    def test_no_lock_left_or_another_error_is_not_a_lock_to_release(self):
        self.assertIsNone(own_lock.orphaned_own_lock(OUTPUT, STARTED, None, None))
        self.assertIsNone(own_lock.orphaned_own_lock(OUTPUT.replace("ConditionalCheckFailedException", "ThrottlingException"), STARTED, lock(), None))
        self.assertIsNone(own_lock.orphaned_own_lock("Error: Invalid provider configuration", STARTED, lock(), None))

    def test_both_forms_of_created_read_to_the_second(self):
        self.assertEqual(own_lock.created_at("2026-12-07T23:41:58.265297646Z"), own_lock.created_at("2026-12-07 23:41:58.265297646 +0000 UTC"))


if __name__ == "__main__":
    unittest.main()
