"""Measure alert ingestion over real HTTP, and prediction latency while it runs.

A `medic up` process on 127.0.0.1 (API only: `--no-worker`, as API replicas run in
production) takes signed alerts from 8 concurrent senders — one alert per request, then
Alertmanager payloads of 100 — half of them duplicates of an open incident. Meanwhile a
client sends predictions; their p99 is compared with the same client on an idle server,
with the same payloads stored in the serving process (`MEDIC_INGEST_PROCESS=false`), and
with the same payloads sent to another `medic up` on the same machine: the floor, what
sharing two cores with the senders and a second process costs whatever Medic does.
The peer of the rates is the service layer called in-process (no HTTP), one alert per
call and in payloads of 100: the ceiling of each HTTP path. Rates follow what else runs on the
machine; the server's CPU time per alert (from /proc, predictions served meanwhile
included) and the ratios to the peer measured in the same run follow it less.

Usage: .venv/bin/python bench/ingest.py [--alerts 4000] [--grouped 40000] [--pinned]

`--pinned` gives the serving process (and the probe) core 0 and everything else core 1:
what predictions see when the machine has a core for them.
"""

import argparse
import contextlib
import json
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.security import sign  # noqa: E402
from core.settings import Settings  # noqa: E402

SECRET, TOKEN = "webhook-3f9c1a7e5b2d80461c9e7a5f", "token-8d2e6b1f4a9c7035e1b8d6a2f4"
PINNED, SERVING_CORE, OTHER_CORE = False, {0}, {1}
PATIENT = {"age": 63, "sex": 1, "cp": 1, "trestbps": 145, "chol": 233, "fbs": 1,
           "restecg": 2, "thalach": 150, "exang": 0, "oldpeak": 2.3, "slope": 3, "ca": 0,
           "thal": 6}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """Return the CPU time a process and its children (the intake) have used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") + sum(
        cpu_seconds(int(child)) for child in children)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")


def predict_latencies(url: str, key: str, stop, answer, cores: set[int] | None) -> None:
    """Time predictions until `stop` is set; send the latencies (ms) through `answer`."""
    if cores:
        os.sched_setaffinity(0, cores)
    seen = []
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.post("/v1/predict", json=PATIENT).raise_for_status()
            seen.append((time.perf_counter() - started) * 1000)
            time.sleep(0.005)
    answer.send(seen)


@contextlib.contextmanager
def probing(url: str, key: str):
    """Time predictions from a process of their own while the block runs; yield their list.

    In this process they would wait for the GIL behind the senders' threads, and the
    client's own contention would be measured as the server's.
    """
    spawn = multiprocessing.get_context("spawn")
    stop, (answer, sender) = spawn.Event(), spawn.Pipe(duplex=False)
    probe = spawn.Process(target=predict_latencies,
                          args=(url, key, stop, sender, SERVING_CORE if PINNED else None))
    probe.start()
    latencies: list[float] = []
    try:
        yield latencies
    finally:
        stop.set()
        while not answer.poll(1.0):
            if not probe.is_alive():
                raise SystemExit(f"the prediction probe failed (exit code {probe.exitcode})")
        latencies.extend(answer.recv())
        probe.join()


def settle(url: str, key: str) -> None:
    """Wait until start-up's background work is over: the agent open, the console built.

    Both run after /ready; predictions timed before they finish measure start-up, not
    an idle server.
    """
    approvals = httpx.get(url + "/v1/approvals", headers={"X-API-Key": key}, timeout=120)
    approvals.raise_for_status()  # answered once the agent is open
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if httpx.get(url + "/ui/config", timeout=10).status_code != 503:  # Gradio answers
            time.sleep(3.0)  # its last collection and freeze (core/heap.py) done
            return
        time.sleep(0.5)
    raise SystemExit("the console was not built in 120 s")


def idle(url: str, key: str, *, seconds: float) -> float:
    """Return the predictions' p99 on the server with nothing else to do."""
    with probing(url, key) as latencies:
        time.sleep(seconds)
    return p99(latencies)


def send(url: str, jobs: list, failures: list) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        for kind, payload in jobs:
            body = json.dumps(payload).encode()
            if kind == "medic":
                headers = {**sign(SECRET, body), "content-type": "application/json"}
                reply = client.post("/v1/alerts", content=body, headers=headers)
            else:
                reply = client.post("/v1/alerts/alertmanager", content=body,
                                    headers={"Authorization": f"Bearer {TOKEN}",
                                             "content-type": "application/json"})
            if reply.status_code != 202:
                failures.append(reply.status_code)


def burst(url: str, key: str, jobs: list, server: int, senders: int = 8,
          ingest_url: str | None = None) -> tuple[float, float, int, float, float]:
    """Send jobs from `senders` threads (to `ingest_url`, or `url`) while predictions run.

    Return the rate, the predictions' p99, the failures, the server's CPU ms per alert, and
    the cores the senders themselves kept busy.
    """
    failures = []
    count = sum(len(p) if k == "medic" and isinstance(p, list) else
                len(p.get("alerts", [])) if k == "am" else 1 for k, p in jobs)
    threads = [threading.Thread(target=send, args=(ingest_url or url, jobs[i::senders],
                                                   failures))
               for i in range(senders)]
    with probing(url, key) as latencies:
        started, cpu, mine = time.perf_counter(), cpu_seconds(server), _own_cpu()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds, cpu = time.perf_counter() - started, cpu_seconds(server) - cpu
    return (count / seconds, p99(latencies), len(failures), cpu / count * 1000,
            (_own_cpu() - mine) / seconds)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def in_process(settings: Settings, count: int, per_call: int) -> float:
    """Return alerts/s through the service layer, `per_call` alerts per call, no HTTP."""
    from core.alerts import Alert
    from services import alerts
    from services.context import open_medic

    with open_medic(settings) as medic:
        batch = [Alert(name=f"local-{per_call}-{i % (count // 2)}", type="drift",
                       values={"drift_share": 0.6}) for i in range(count)]
        started = time.perf_counter()
        for first in range(0, count, per_call):
            alerts.submit_alerts(medic, batch[first:first + per_call])
        return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=4000,
                        help="alerts sent one per request")
    parser.add_argument("--grouped", type=int, default=40000,
                        help="alerts sent in Alertmanager payloads of 100")
    parser.add_argument("--pinned", action="store_true",
                        help="the serving process and the prediction probe on core 0; the "
                             "senders, the intake and the other process on core 1")
    args = parser.parse_args()
    global PINNED
    PINNED = args.pinned
    if PINNED:
        os.sched_setaffinity(0, OTHER_CORE)
    from core import keys
    from core.audit_seal import Seal
    from core.db import connect
    from ml.registry.aliases import open_registry
    from ml.training import train

    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=home, _env_file=None, webhook_secret=SECRET,
                            alertmanager_token=TOKEN, rate_limit_per_minute=0)
        train.run(settings, open_registry(settings))
        with connect(settings.database_url, seal=Seal.of(settings)).begin() as session:
            key = keys.create(session, name="bench", role="admin", actor="bench")
        n = args.alerts
        single = [("medic", {"name": f"one-{i % (n // 2)}", "type": "drift",
                             "values": {"drift_share": 0.6}}) for i in range(n)]

        def grouped(prefix: str, half: int = args.grouped // 2) -> list:
            return [("am", {"version": "4", "status": "firing", "alerts": [
                {"status": "firing", "labels": {"alertname": f"{prefix}-{(j * 100 + i) % half}",
                                                "type": "drift"},
                 "annotations": {"drift_share": "0.6"}, "startsAt": "2026-11-26T10:00:00Z"}
                for i in range(100)]}) for j in range(args.grouped // 100)]

        with serving(home, key) as (url, server):
            idle_p99 = idle(url, key, seconds=10)
            single_rate, single_p99, single_failed, single_cpu, single_senders = burst(
                url, key, single, server.pid)
            group_rate, group_p99, group_failed, group_cpu, group_senders = burst(
                url, key, grouped("am"), server.pid)
            with serving(home, key, other=True) as (other, _):  # the floor: another process
                floor = burst(url, key, grouped("other"), server.pid, ingest_url=other)
        with serving(home, key, intake=False) as (url, server):
            here = burst(url, key, grouped("here"), server.pid)
        local_rate = in_process(settings, 2000, per_call=1)
        local_group_rate = in_process(settings, 4000, per_call=100)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
          + (" (pinned: serving process and probe on core 0, the rest on core 1)"
             if PINNED else ""))
    print(f"predictions alone: p99 {idle_p99:.1f} ms")
    print(f"one alert per request, 8 senders, {n} alerts (half duplicates): "
          f"{single_rate:.0f} alerts/s, {single_failed} failed, server CPU "
          f"{single_cpu:.2f} ms/alert, senders {single_senders:.2f} cores; prediction p99 "
          f"meanwhile {single_p99:.1f} ms")
    print(f"Alertmanager payloads of 100, 8 senders, {args.grouped} alerts: "
          f"{group_rate:.0f} alerts/s, {group_failed} failed, server CPU {group_cpu:.2f} "
          f"ms/alert, senders {group_senders:.2f} cores; prediction p99 meanwhile "
          f"{group_p99:.1f} ms")
    print(f"  the same payloads stored in the serving process (MEDIC_INGEST_PROCESS=false): "
          f"{here[0]:.0f} alerts/s, {here[2]} failed; prediction p99 meanwhile {here[1]:.1f} ms")
    print(f"  the same payloads sent to another medic process (the floor of two shared "
          f"cores): {floor[0]:.0f} alerts/s; prediction p99 meanwhile {floor[1]:.1f} ms")
    print(f"peer: the service layer in-process, one alert per call: {local_rate:.0f} alerts/s; "
          f"in payloads of 100: {local_group_rate:.0f} alerts/s")
    print(f"ratio: alerts/s one per request {single_rate / local_rate:.2f}, "
          f"payloads of 100 {group_rate / local_group_rate:.2f}; prediction p99 during "
          f"payloads, intake process / floor {group_p99 / floor[1]:.2f}, in the serving "
          f"process / floor {here[1] / floor[1]:.2f}")


def pin(pid: int, cores: set[int]) -> None:
    """Pin every thread of a process to `cores` (threads it starts later inherit it)."""
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(ProcessLookupError):
            os.sched_setaffinity(int(task), cores)


@contextlib.contextmanager
def serving(home: str, key: str, *, intake: bool = True, other: bool = False):
    """Run `medic up --no-worker` on `home` until start-up's background work is over.

    Pinned, the serving process runs on core 0 and its intake child on core 1; `other`
    (the floor's second process) runs wholly on core 1.
    """
    port = free_port()
    env = {**os.environ, "MEDIC_HOME": home, "MEDIC_WEBHOOK_SECRET": SECRET,
           "MEDIC_ALERTMANAGER_TOKEN": TOKEN, "MEDIC_RATE_LIMIT_PER_MINUTE": "0",
           "MEDIC_INGEST_PROCESS": str(intake).lower()}
    server = subprocess.Popen([sys.executable, "-m", "cli", "up", "--port", str(port),
                               "--no-worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        settle(url, key)
        if PINNED:
            pin(server.pid, OTHER_CORE if other else SERVING_CORE)
            for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
                pin(int(child), OTHER_CORE)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
