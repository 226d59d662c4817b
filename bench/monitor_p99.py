"""Prediction p99 while the monitors run every worker tick, against a peer whose monitors rest.

Two `medic up` servers on copies of one trained home (with predictions in its log): the
measured one checks the monitors on every tick (MEDIC_MONITOR_INTERVAL_SECONDS=1 unless
--interval says otherwise), the peer once at start only. Measuring starts once both have
checked once (their workers run); requests alternate between them, one at a time, so both
see the same machine load. The output says how many check runs finished while measured.
Usage:

    PYTHONPATH=. .venv/bin/python bench/monitor_p99.py --home HOME --key KEY [--seconds 40]
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

PATIENT = {"age": 63, "sex": 1, "cp": 1, "trestbps": 145, "chol": 233, "fbs": 1,
           "restecg": 2, "thalach": 150, "exang": 0, "oldpeak": 2.3, "slope": 3, "ca": 0,
           "thal": 6}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(home: Path, interval: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "MEDIC_HOME": str(home), "MEDIC_MONITOR_INTERVAL_SECONDS": interval,
           "MEDIC_RATE_LIMIT_PER_MINUTE": "0"}
    process = subprocess.Popen([sys.executable, "-m", "cli", "up", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/ready", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"server on {home} did not start")


def last_runs(client: httpx.Client) -> list[float]:
    """Return when each monitor was last checked, from the server's /metrics."""
    return [float(line.rsplit(" ", 1)[1]) for line in client.get("/metrics").text.splitlines()
            if line.startswith("medic_monitor_last_run_timestamp_seconds")]


def warm_up(clients: dict[str, httpx.Client], seconds: float = 300.0) -> None:
    """Wait until both servers' workers have checked the monitors once (the agent opens
    after /ready; on a loaded machine that takes a minute), so the checks run while measured."""
    deadline = time.monotonic() + seconds
    while not all(last_runs(c) for c in clients.values()):
        if time.monotonic() > deadline:
            raise SystemExit("the monitors never ran: is the agent worker starting?")
        time.sleep(1.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--interval", default="1", help="The busy server's "
                        "MEDIC_MONITOR_INTERVAL_SECONDS (checks run at most every 5 s tick).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="medic-bench-"))
    homes = {name: work / name for name in ("busy", "peer")}
    for home in homes.values():
        shutil.copytree(args.home, home)
    servers: dict[str, tuple[subprocess.Popen, str]] = {}
    timings: dict[str, list[float]] = {"busy": [], "peer": []}
    try:
        servers["busy"] = serve(homes["busy"], args.interval)
        servers["peer"] = serve(homes["peer"], "86400")
        clients = {n: httpx.Client(base_url=url, headers={"X-API-Key": args.key})
                   for n, (_p, url) in servers.items()}
        warm_up(clients)
        deadline, i = time.monotonic() + args.seconds, 0
        runs, next_scrape = set(), 0.0  # when the busy server's checks finished, as seen
        while time.monotonic() < deadline:
            i += 1
            for name in (("busy", "peer") if i % 2 else ("peer", "busy")):
                started = time.perf_counter()
                clients[name].post("/v1/predict", json=PATIENT).raise_for_status()
                timings[name].append((time.perf_counter() - started) * 1000)
            if time.monotonic() >= next_scrape:  # both scraped alike, neither timed
                last = last_runs(clients["busy"])
                runs.add(max(last, default=0.0))
                last_runs(clients["peer"])
                next_scrape = time.monotonic() + 2.0
        last = last_runs(clients["busy"])
        runs.add(max(last, default=0.0))
        measured_from = time.time() - args.seconds
        finished = sorted(t for t in runs if t >= measured_from)
    finally:
        for process, _url in servers.values():
            process.terminate()
            process.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    p99 = {n: float(np.percentile(t, 99)) for n, t in timings.items()}
    for name in ("busy", "peer"):
        print(f"{name}: {len(timings[name])} predictions, p50 "
              f"{np.percentile(timings[name], 50):.2f} ms, p99 {p99[name]:.2f} ms")
    print(f"{args.seconds:.0f} s side by side; the busy server checked its {len(last)} "
          f"monitors every max(5 s tick, {args.interval} s): {len(finished)} runs finished "
          f"during the measurement")
    print(f"ratio: {p99['busy'] / p99['peer']:.2f}")


if __name__ == "__main__":
    main()
