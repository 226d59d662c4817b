"""Deployment tests: Debian's tools (skipped with the reason outside CI when absent), and
the programs a test starts, whose logs are shown with any failure."""

import os
import shutil

import pytest

from tests.processes import Processes, tails


def need(program: str, package: str) -> str:
    """Return the program's path; skip (fail under CI) when it is not installed."""
    found = shutil.which(program)
    if found is None:
        message = f"{program} is not installed (Debian package {package}; .ci/apt-packages)"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must run this test")
        pytest.skip(message)
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tails of the started programs' logs to a failed test's report."""
    report = yield
    if report.failed:
        for node in item.listchain():  # the test's own programs, or its module's
            started = getattr(node, "programs", None)
            if started is not None:
                report.sections.append(("logs of the programs started", tails(started.logs)))
    return report


def programs_of(request, folder) -> Processes:
    """Return the programs of the requesting test (or module), shown if it fails."""
    request.node.programs = Processes(folder)
    return request.node.programs


@pytest.fixture
def processes(tmp_path, request):
    """Programs a test starts, each with its log; stopped (by their own group) at the end."""
    with programs_of(request, tmp_path) as started:
        yield started
