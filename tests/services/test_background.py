"""Jobs in a child process: answered, failed, crashed or hung, the caller's tick never waits."""

import logging
import os
import signal
import time

import pytest

from services.processes.background import ChildJob
from tests.processes import PATIENCE

START_SECONDS = 120  # a fresh interpreter imports this module; slow on a loaded machine


def _act(what: str, path) -> None:
    """The job: note this process's id in `path`, then do `what`."""
    path.write_text(str(os.getpid()))
    if what == "fail":
        raise ValueError("bad window")
    if what == "crash":
        os._exit(3)
    if what == "hang":
        time.sleep(3600)


@pytest.fixture
def job():
    made = []

    def make(timeout=START_SECONDS):
        made.append(ChildJob("test job", _act, timeout=timeout))
        return made[-1]

    yield make
    for child in made:
        child.close(grace=0)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_jobs_run_in_one_child_that_stays_for_the_next(job, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="services.processes.background")
    child = job()
    child.start("note", tmp_path / "first")
    assert child.running  # handed over; the caller did not wait
    assert child.wait(START_SECONDS)
    child.start("note", tmp_path / "second")
    assert child.wait(START_SECONDS)
    first, second = ((tmp_path / n).read_text() for n in ("first", "second"))
    assert first == second == str(child.pid) != str(os.getpid())
    assert caplog.text.count("test job done in") == 2


def test_a_failed_job_is_logged_and_the_child_runs_the_next(job, tmp_path, caplog):
    child = job()
    child.start("fail", tmp_path / "failed")
    assert child.wait(START_SECONDS)
    assert "test job failed after" in caplog.text and "(ValueError;" in caplog.text
    assert "bad window" not in caplog.text  # details stay in the child's own log
    child.start("note", tmp_path / "next")
    assert child.wait(START_SECONDS)
    assert (tmp_path / "next").read_text() == (tmp_path / "failed").read_text()


def test_a_crashed_child_is_reported_and_replaced(job, tmp_path, caplog):
    child = job()
    child.start("crash", tmp_path / "crashed")
    assert child.wait(START_SECONDS)
    assert "the child ended (exit code 3)" in caplog.text and child.pid is None
    child.start("note", tmp_path / "next")
    assert child.wait(START_SECONDS)
    assert (tmp_path / "next").read_text() not in ((tmp_path / "crashed").read_text(),
                                                   str(os.getpid()))


def test_a_hung_job_is_killed_after_its_timeout(job, tmp_path, caplog):
    child = job(timeout=3)
    child.start("hang", tmp_path / "hung")
    pid = child.pid
    deadline = time.monotonic() + (3 + 30) * PATIENCE
    while child.running and time.monotonic() < deadline:
        time.sleep(0.2)  # a worker's ticks: each one returns at once
    assert not child.running and child.pid is None
    assert _gone(pid)
    assert f"test job killed (pid {pid}): still running after 3 s" in caplog.text
    child.start("note", tmp_path / "after")  # the next job gets a new child
    assert child.wait(START_SECONDS)
    assert int((tmp_path / "after").read_text()) not in (pid, os.getpid())


def test_a_child_killed_between_jobs_is_replaced_for_the_next(job, tmp_path, caplog):
    child = job()
    child.start("note", tmp_path / "first")
    assert child.wait(START_SECONDS)
    first = child.pid
    os.kill(first, signal.SIGKILL)  # say, the OOM killer while it idles
    deadline = time.monotonic() + 10 * PATIENCE
    while not _gone_or_zombie(first) and time.monotonic() < deadline:
        time.sleep(0.05)
    child.start("note", tmp_path / "second")
    assert child.wait(START_SECONDS)
    assert int((tmp_path / "second").read_text()) not in (first, os.getpid())
    assert "the child ended between jobs (exit code -9)" in caplog.text


def _gone_or_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return True
