"""Time Medic's start-up as a new user meets it: process start to `/ready` answering 200.

Cold: `medic up` on an empty home (it trains first, as `make run` on a fresh clone does).
Warm: `medic up` again on that home, a champion already registered (run --runs times).
Peer: a bare FastAPI app (one route, uvicorn) started the same way, same machine, same run.

Usage: .venv/bin/python bench/start.py [--runs 3] [--skip-cold]
Prints each time and `ratio:` = the median warm start over the issue's 5 s target
(the bare app's time is printed beside it for scale).
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


def time_to_ready(command: list[str], env: dict, port: int, limit: float = 300) -> float:
    """Start `command`, poll /ready until 200, stop it; return the seconds it took."""
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        with httpx.Client(timeout=1) as client:
            while time.perf_counter() - started < limit:
                if process.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"server exited: {log.read().decode()[-2000:]}")
                try:
                    if client.get(f"http://127.0.0.1:{port}/ready").status_code == 200:
                        return time.perf_counter() - started
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
        raise SystemExit(f"/ready never answered 200 within {limit} s")
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
           "PYTHONPATH": str(ROOT)}
    medic = [sys.executable, "-m", "cli", "up", "--port"]
    try:
        if args.skip_cold:
            subprocess.run([sys.executable, "-m", "cli", "train"], cwd=ROOT, env=env,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cold = None
        else:
            port = free_port()
            cold = time_to_ready([*medic, str(port)], env, port)
        warm = []
        for _ in range(args.runs):
            port = free_port()
            warm.append(time_to_ready([*medic, str(port)], env, port))
        (home / "bare.py").write_text(BARE)
        bare = []
        for _ in range(args.runs):
            port = free_port()
            bare.append(time_to_ready([sys.executable, "-m", "uvicorn", "bare:app", "--app-dir",
                                       str(home), "--port", str(port), "--log-level",
                                       "warning"], env, port))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores")
    if cold is not None:
        print(f"  cold start (empty home, trains first) -> /ready 200: {cold:6.1f} s")
    print("  warm start (champion registered)       -> /ready 200: "
          + ", ".join(f"{t:.2f}" for t in warm) + f" s (median {statistics.median(warm):.2f})")
    print("  bare FastAPI app (peer)                -> /ready 200: "
          + ", ".join(f"{t:.2f}" for t in bare) + f" s (median {statistics.median(bare):.2f})")
    print(f"ratio: {statistics.median(warm) / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
