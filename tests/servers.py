"""Start Medic (or a peer) as a real process on loopback for the tests that need one."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from core.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, *, seconds: float, log: Path | None = None,
               path: str = "/ready") -> None:
    """Wait for `url + path` to answer 200; kill the process and fail with its output if not."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url + path, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait()
    pytest.fail(f"{url} did not become ready: {_tail(process, log)}")


def start_medic(home: Path, *, env: dict | None = None, args: tuple = (), port: int = 0,
                seconds: float = 120, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Run `medic up` on a free port for `home`; return the process and its URL once ready.

    Its output goes to `log` (default: `<home>-up.log` beside the home), never to a pipe
    nobody reads, which would stall a talkative server.
    """
    port = port or free_port()
    log = log or log_of(home)
    environment = {**os.environ, "MEDIC_HOME": str(home), **(env or {})}
    with open(log, "ab") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "up", "--port", str(port), *args],
            cwd=PROJECT_ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_ready(url, process, seconds=seconds, log=log)
    return process, url


def wait_for(check, seconds: float, what: str, *, logs: tuple[Path, ...] = ()):
    """Return `check()`'s first truthy value; else fail the test with the tails of `logs`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    tails = "\n".join(f"--- {p.name}\n{p.read_text()[-1500:]}" for p in logs if p.exists())
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def log_of(home: Path) -> Path:
    """Where `start_medic` keeps a server's output by default."""
    return home.with_name(home.name + "-up.log")


def stop(process: subprocess.Popen, *, seconds: float = 30) -> None:
    """Stop a server gracefully, and for good if it does not stop in time."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(process: subprocess.Popen, log: Path | None) -> str:
    if log is not None:
        return log.read_text(errors="replace")[-2000:]
    if process.stdout is not None:
        return process.stdout.read().decode(errors="replace")[-2000:]
    return "(no output kept)"
