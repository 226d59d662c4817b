"""Deployment tests: find Debian's tools, skipped with the reason outside CI when absent."""

import os
import shutil

import pytest


def need(program: str, package: str) -> str:
    """Return the program's path; skip (fail under CI) when it is not installed."""
    found = shutil.which(program)
    if found is None:
        message = f"{program} is not installed (Debian package {package}; .ci/apt-packages)"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must run this test")
        pytest.skip(message)
    return found
