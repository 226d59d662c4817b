"""Item 16 (issue 22): a child whose parent was killed -9 ends quietly, without a traceback."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tests.conftest import make_settings
from tests.processes import wait_for

# The parent starts its child as Medic does, says the child's pid, then is killed -9 while
# the child is busy: the child's answer then meets a pipe nobody reads any more.
MONITOR_PARENT = """
import sys, time
from services.processes.background import ChildJob
job = ChildJob("monitors", time.sleep, timeout=60)
job.start(2.0)  # a job under way when the parent dies
print(job.pid, flush=True)
time.sleep(600)
"""
INTAKE_PARENT = """
import json, pickle, sys, time
from services.processes.intake import IntakeProcess
intake = IntakeProcess(pickle.load(sys.stdin.buffer))
intake.start()  # the child imports and opens the database meanwhile
body = json.dumps([{"name": "drift", "type": "drift", "values": {"drift_share": 0.6}}])
intake._child.stdin.write(pickle.dumps((1, body.encode(), "medic", None)))
second = pickle.dumps((2, body.encode() * 100, "medic", None))
intake._child.stdin.write(second[:len(second) // 2])  # killed in the middle of a payload
intake._child.stdin.flush()  # the first is stored, its answer meets a closed pipe
print(intake.pid, flush=True)
time.sleep(600)
"""
WORKER_PARENT = """
import pickle, sys, time
from services.context import open_medic
from services.processes.agent_worker import WorkerProcess
settings = pickle.load(sys.stdin.buffer)
with open_medic(settings) as medic:
    child = WorkerProcess(settings, medic.sessions)
    child.start()  # the child opens the agent; its input ends when this parent is killed
    print(child.pid, flush=True)
    time.sleep(600)
"""


def _gone(pid: int) -> bool:
    """Return whether the process ended (reaped, or a zombie nobody reaps)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _orphan(tmp_path: Path, script: str, given: bytes = b"") -> str:
    """Run the parent, kill it -9 once its child runs; return the child's stderr."""
    errors = tmp_path / "children.err"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    with errors.open("wb") as stderr:  # what `medic up > log 2>&1` would hold
        parent = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=stderr)
    parent.stdin.write(given)
    parent.stdin.close()
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait(30)
    parent.stdout.close()
    wait_for(lambda: _gone(child), timeout=120, what=f"the orphaned child {child} to end")
    return errors.read_text()


@pytest.mark.slow
def test_item16_orphaned_monitor_child_ends_without_a_traceback(tmp_path):
    said = _orphan(tmp_path, MONITOR_PARENT)
    assert "Traceback" not in said and "BrokenPipe" not in said, said


@pytest.mark.slow
def test_item16_orphaned_intake_child_ends_without_a_traceback(tmp_path):
    settings = make_settings(tmp_path / "medic")
    said = _orphan(tmp_path, INTAKE_PARENT, pickle.dumps(settings))
    assert "Traceback" not in said and "BrokenPipe" not in said, said
    assert "Exception ignored" not in said, said


@pytest.mark.slow
def test_orphaned_agent_worker_child_ends_without_a_traceback(trained, tmp_path):
    said = _orphan(tmp_path, WORKER_PARENT, pickle.dumps(trained[0]))
    assert "Traceback" not in said and "Exception ignored" not in said, said
