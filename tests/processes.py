"""Run real servers as processes on loopback for the tests: ports, bounded waits, logs."""

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

import httpx
import pytest

# Every bounded wait is stretched by this factor: the deadlines are written for a quiet 2-core
# machine, and the suite must pass on a loaded one (another heavy job beside it, or xdist).
# A wait ends as soon as its condition holds, so a patient deadline costs nothing when green.
# The tests' plain-HTTP calls to 127.0.0.1 share one client: `httpx.get` builds a TLS context
# for every call (about 20 ms of CPU, reading the CA bundle), and the suite polls its servers
# thousands of times. Like `httpx.get`, it keeps no connection and no cookie between calls
# (cookies ignore ports: one server's session must never reach another's request).
local = httpx.Client(verify=False, limits=httpx.Limits(max_keepalive_connections=0),
                     cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])))

PATIENCE = float(os.environ.get("MEDIC_TEST_PATIENCE", "3"))
_PORTS = random.SystemRandom()  # not the seeded module state: workers must not agree


def free_port() -> int:
    """Return a loopback port free now, below the kernel's ephemeral range.

    A port the kernel hands out for port 0 comes from the range every outgoing connection on
    the machine also draws from, so on a busy machine another program may take it before the
    test's server binds it (the topology test binds minutes after choosing). Below that range
    only servers that chose a port themselves compete.
    """
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(200):
        port = _PORTS.randrange(10000, max(low, 10001))
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:  # every try taken: let the kernel choose
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tails(logs, chars: int = 3000) -> str:
    """Return the end of each log file, labelled, to show why a process misbehaved."""
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}"
                     for p in logs if p.exists())


def wait_for(check, *, timeout: float, what: str, logs=(), every: float = 0.25):
    """Poll `check` until it returns something truthy; else fail with the logs' tails."""
    timeout *= PATIENCE
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{tails(logs)}")


def answers(url: str, status: int = 200) -> bool:
    """Say whether a GET on `url` answers with `status` now."""
    try:
        return local.get(url, timeout=2).status_code == status
    except httpx.HTTPError:
        return False


def wait_ready(url: str, process: subprocess.Popen, *, timeout: float, log: Path | None = None,
               path: str = "/ready") -> None:
    """Wait for `url + path` to answer 200; kill the process and fail with its log if not."""
    deadline = time.monotonic() + timeout * PATIENCE
    while time.monotonic() < deadline and process.poll() is None:
        if answers(url + path):
            return
        time.sleep(0.2)
    process.kill()
    process.wait()
    pytest.fail(f"{url} did not become ready\n{tails([log] if log else [])}")


def start_medic(home: Path, *, env: dict | None = None, args: tuple = (), port: int = 0,
                timeout: float = 120, log: Path | None = None,
                verbose: bool = False) -> tuple[subprocess.Popen, str]:
    """Run `medic up` on a free port for `home`; return the process and its URL once ready.

    Its output goes to `log` (default: `log_of(home)`), never to a pipe nobody reads,
    which would stall a talkative server. The console is off unless a test asks for it
    (`MEDIC_UI=true`): building it costs a server seconds of CPU (Gradio's import).
    `verbose` logs at INFO (`medic -v up`).
    """
    from core.settings import PROJECT_ROOT

    port = port or free_port()
    log = log or log_of(home)
    environment = {**os.environ, "MEDIC_HOME": str(home), "MEDIC_UI": "false",
                   "MEDIC_TRAIN_IN_BACKGROUND": "false", **(env or {})}  # unless a test asks
    with open(log, "ab") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", *(["-v"] if verbose else []), "up", "--port",
             str(port), *args],
            cwd=PROJECT_ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_ready(url, process, timeout=timeout, log=log)
    return process, url


def log_of(home: Path) -> Path:
    """Where `start_medic` keeps a server's output by default: beside its home."""
    return home.with_name(home.name + "-up.log")


def stop(process: subprocess.Popen, *, timeout: float = 30) -> None:
    """Stop a server gracefully, and for good if it does not stop in time."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def in_thread(server, *, timeout: float = 60):
    """Run a `uvicorn.Server` on a daemon thread until the block ends; fail if it won't start."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started or not thread.is_alive(), timeout=timeout,
             what="the server to start", every=0.02)
    if not server.started:
        pytest.fail("the server stopped before it started")
    try:
        yield thread
    finally:
        server.should_exit = True
        thread.join(30)


class Processes:
    """Programs started for a test, each in its own process group with a log file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], *, env: dict | None = None,
              cwd: Path | None = None) -> subprocess.Popen:
        with self.log(name).open("w") as log:  # the child keeps its own descriptor
            process = subprocess.Popen(args, cwd=cwd or self.folder, env=env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.started[name] = process
        return process

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    @property
    def logs(self) -> list[Path]:
        return [self.log(name) for name in self.started]

    def stop(self) -> None:
        """Terminate every group started here, then kill what is still running after 10 s."""
        for process in self.started.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.started.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)

    def __enter__(self) -> "Processes":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)  # the group this test made: the program and its children
    except ProcessLookupError:
        pass


def start_mlflow_server(processes: Processes, backend_url: str, artifacts: Path) -> str:
    """Start `mlflow server` on a PostgreSQL database with proxied artifacts; return its URL.

    Call `wait_for_mlflow` before using it (other programs may start meanwhile).
    """
    backend = "postgresql+psycopg://" + backend_url.removeprefix("postgresql://")
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
           "DO_NOT_TRACK": "true",
           # GenAI job runners (seven huey processes) that Medic never uses
           "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
    processes.start("mlflow", [
        shutil.which("mlflow", path=env["PATH"]), "server", "--host", "127.0.0.1",
        "--port", str(port), "--workers", "1", "--backend-store-uri", backend,
        "--artifacts-destination", str(artifacts), "--serve-artifacts"], env=env)
    return f"http://127.0.0.1:{port}"


def wait_for_mlflow(processes: Processes, url: str) -> None:
    """Wait until the started MLflow server answers /health; fail with its log if it exits."""
    server = processes.started["mlflow"]
    wait_for(lambda: server.poll() is not None or answers(url + "/health"), timeout=180,
             what="mlflow server to answer /health", logs=[processes.log("mlflow")])
    if server.poll() is not None:
        pytest.fail("mlflow server exited\n" + tails([processes.log("mlflow")]))
