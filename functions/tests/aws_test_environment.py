"""Dummy AWS credentials for handler tests: set for one test, with the handler's own settings cleared."""
import os
import unittest
from unittest import mock

DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def use_dummy_aws(test: unittest.TestCase, cleared: tuple[str, ...]) -> None:
    """Patches os.environ for the duration of `test` and removes `cleared` (and AWS_PROFILE) from it."""
    environment = mock.patch.dict(os.environ, DUMMY_AWS)
    environment.start()
    test.addCleanup(environment.stop)
    for name in cleared + ("AWS_PROFILE",):
        os.environ.pop(name, None)
