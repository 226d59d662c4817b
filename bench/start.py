"""Time Medic's start-up as a new user meets it: process start to `/ready` answering 200.

Cold: `medic up` on an empty home (it trains first, as `make run` on a fresh clone does).
Warm: `medic up` again on that home, a champion already registered (run --runs times), with
the console (the default; also timed until Gradio answers at /ui, which opens after
`/ready`) and without it (MEDIC_UI=false).
Peer: a bare FastAPI app (one route, uvicorn) started the same way, same machine, same run.
Bytecode: the warm start with the console is timed with PYTHONDONTWRITEBYTECODE=1 (as the
Dockerfile and this machine set it) and without it; `make setup` compiles bytecode at install
(uv --compile-bytecode, then compileall for Medic's own modules), so the two should match.
The three are started in turn, round after round, so the machine's load weighs on each alike.

Usage: .venv/bin/python bench/start.py [--runs 3] [--skip-cold]
Prints each time and `ratio:` = the median warm start with the console over the issue's 5 s
target (the bare app's time is printed beside it for scale).
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 5.0
BARE = textwrap.dedent("""
    from fastapi import FastAPI
    app = FastAPI()

    @app.get("/ready")
    def ready():
        return {"ready": True}
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_ready(command: list[str], env: dict, port: int, limit: float = 300, *,
                  console: bool = False) -> tuple[float, float | None]:
    """Start `command`, poll /ready until 200 (then /ui until Gradio answers), stop it.

    Returns the seconds to `/ready` and, with `console`, to the console's first answer that
    is not the 503 it gives while Gradio is still being built.
    """
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    ready = None
    try:
        with httpx.Client(timeout=1) as client:
            while time.perf_counter() - started < limit:
                if process.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"server exited: {log.read().decode()[-2000:]}")
                try:
                    path = "/ui/config" if ready else "/ready"
                    status = client.get(f"http://127.0.0.1:{port}{path}").status_code
                    if ready is None and status == 200:
                        ready = time.perf_counter() - started
                        if not console:
                            return ready, None
                    elif ready is not None and status != 503:
                        return ready, time.perf_counter() - started
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
        raise SystemExit(f"/ready (or /ui) never answered within {limit} s")
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-cold", action="store_true",
                        help="train with `medic train` instead of timing the first start")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="medic-start-"))
    env = {**os.environ, "MEDIC_HOME": str(home / "medic"), "DO_NOT_TRACK": "true",
           "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT),
           "PYTHONDONTWRITEBYTECODE": "1"}
    writing = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    medic = [sys.executable, "-m", "cli", "up", "--port"]
    (home / "bare.py").write_text(BARE)

    def bare(port: int) -> list[str]:
        return [sys.executable, "-m", "uvicorn", "bare:app", "--app-dir", str(home), "--port",
                str(port), "--log-level", "warning"]

    try:
        if args.skip_cold:
            subprocess.run([sys.executable, "-m", "cli", "train"], cwd=ROOT, env=env,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cold = None
        else:
            port = free_port()
            cold = time_to_ready([*medic, str(port)], env, port, console=True)
        times: dict[str, list] = {"console": [], "writing": [], "no console": [], "bare": []}
        for _ in range(args.runs):
            port = free_port()
            times["console"].append(time_to_ready([*medic, str(port)], env, port,
                                                  console=True))
            port = free_port()
            times["writing"].append(time_to_ready([*medic, str(port)], writing, port))
            port = free_port()
            times["no console"].append(time_to_ready([*medic, str(port)],
                                                     {**env, "MEDIC_UI": "false"}, port))
            port = free_port()
            times["bare"].append(time_to_ready(bare(port), env, port))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores")
    if cold is not None:
        print(f"  cold start (empty home, trains first) -> /ready 200: {cold[0]:6.1f} s, "
              f"console at /ui: {cold[1]:.1f} s")
    for name, label, which in (
            ("console", "warm start (champion registered)       -> /ready 200", 0),
            ("console", "  ... and the console answers at /ui   ->", 1),
            ("writing", "warm start, PYTHONDONTWRITEBYTECODE unset -> /ready", 0),
            ("no console", "warm start, MEDIC_UI=false             -> /ready 200", 0),
            ("bare", "bare FastAPI app (peer)                -> /ready 200", 0)):
        seconds = [t[which] for t in times[name]]
        print(f"  {label}: " + ", ".join(f"{t:.2f}" for t in seconds)
              + f" s (median {statistics.median(seconds):.2f})")
    dont, write = (statistics.median(t[0] for t in times[k]) for k in ("console", "writing"))
    print(f"  PYTHONDONTWRITEBYTECODE=1 over unset: {dont / write:.2f} (1.00: bytecode was "
          "compiled at install)")
    print(f"ratio: {dont / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
