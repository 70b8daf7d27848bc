"""What a test needs from the machine (Chromium, PostgreSQL, nginx, Node): skip without it, fail in CI.

``.ci/run`` sets ``CI``, so in CI nothing is skipped for a missing tool; on a developer's machine the rest
of the suite still runs.
"""

import os

import pytest


def unavailable(reason: str) -> None:
    """Skip the test for ``reason``, or fail it when the environment variable ``CI`` is set."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this test must not be skipped)", pytrace=False)
    pytest.skip(reason)
