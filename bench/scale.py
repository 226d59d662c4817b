"""Measure how Medic's production profile grows with processes, on PostgreSQL.

On a fresh PostgreSQL database (created here, dropped at the end) and one MLflow store:

- incidents/s handled by 1, then 2, `medic worker` processes: a backlog of distinct
  alerts (slight drift: the whole graph runs, nothing needs approval) is stored in one
  transaction once the workers are up; the clock stops when the last incident is closed;
- alerts/s accepted over HTTP by 1, then 2, `medic up --no-worker` processes (signed
  alerts, one per request, then 100 per request; 8 senders spread over the processes,
  half of the alerts duplicates);
- predictions/s answered by 1, then 2, API processes (`wrk -t1 -c8` per process, as
  `bench/serve.py` runs it).

The monitors and the checkpoint prune are parked (their schedules claimed a day ahead)
so the workers do only incidents. Prints each figure, its growth, and `ratio:` (2-worker
incidents/s over 1-worker).

Usage: .venv/bin/python bench/scale.py [--incidents 150] [--alerts 800]
       [--batched-alerts 16000] [--seconds 10] [--incidents-only]
Needs PostgreSQL (MEDIC_BENCH_PG, default postgresql://postgres@127.0.0.1:5432/postgres)
and `wrk`.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import SECRET, TOKEN, send  # noqa: E402
from bench.pg import fresh_database  # noqa: E402
from bench.serve import MEDIC, PATIENT, descendants, free_port, wait_ready, wrk  # noqa: E402
from core.settings import Settings  # noqa: E402


def start(command: list[str], env: dict, stack: ExitStack) -> subprocess.Popen:
    """Start a Medic process logging to a temporary file; stop it when the stack closes."""
    log = stack.enter_context(tempfile.TemporaryFile())  # an unread pipe would block it
    process = subprocess.Popen([*MEDIC, *command], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    process.log = log
    stack.callback(stop, process)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()  # a worker finishes the incident at hand, an API flushes its log
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for_line(process: subprocess.Popen, text: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        process.log.seek(0)
        seen = process.log.read().decode(errors="replace")
        if text in seen:
            return
        if process.poll() is not None:
            raise SystemExit(f"process exited: {seen[-2000:]}")
        time.sleep(0.2)
    raise SystemExit(f"no {text!r} within {seconds:.0f} s")


def warned(processes) -> str:
    """Say what the processes' logs warned of so far (kinds counted), or "" when nothing."""
    import collections
    import re

    said = collections.Counter()
    for process in processes:
        process.log.seek(0)
        for line in process.log.read().decode(errors="replace").splitlines():
            if line.startswith(("WARNING", "ERROR")):
                said[re.sub(r"\d+", "N", line)[:110]] += 1
    return "; ".join(f"{n}× {line}" for line, n in said.most_common(4))


def ready(base: str, server: subprocess.Popen, seconds: float = 180) -> None:
    """Wait until the API answers `/ready` with 200 (a model served, the database reached)."""
    wait_ready(base + "/health", server, seconds)
    deadline = time.monotonic() + seconds
    while httpx.get(base + "/ready", timeout=5).status_code != 200:
        if time.monotonic() > deadline:
            raise SystemExit(f"{base} never became ready")
        time.sleep(0.2)


def park_schedules(medic) -> None:
    """Claim the monitors' and the prune's next runs a day ahead: workers only handle work."""
    from agent_graph.runtime.retention import SCHEDULE as PRUNE
    from core import monitor_states

    for schedule in (monitor_states.SCHEDULE, PRUNE):
        monitor_states.claim_run(medic.sessions, now=medic.clock(),
                                 interval_seconds=86_400, schedule=schedule)


def cpu_seconds(process: subprocess.Popen) -> float:
    """Return the user plus system CPU time a process has used so far (Linux)."""
    return _cpu_of(process.pid)


def tree_cpu_seconds(process: subprocess.Popen) -> float:
    """Return the CPU time of a process and its live children (an API and its intake child)."""
    return sum(_cpu_of(pid) for pid in (process.pid, *descendants(process.pid)))


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # gone meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Cores:
    """Where the machine's cores went between `Cores()` and `.said()`: the processes
    measured, PostgreSQL's backends, this bench (the senders), and the machine in all."""

    def __init__(self, processes=(), *, database: str | None = None) -> None:
        """With `database` (a URL), also count the transactions PostgreSQL committed there."""
        self._processes, self._database = list(processes), database
        self._commits = self._committed()
        self._began = (time.perf_counter(), self._machine(), self._postgres(),
                       self._ours(), self._measured())

    def said(self, what: str = "processes") -> str:
        seconds, machine, postgres, ours, measured = (
            now - then for now, then in zip((time.perf_counter(), self._machine(),
                                             self._postgres(), self._ours(),
                                             self._measured()), self._began, strict=True))
        said = (f"cores busy: machine {machine / seconds:.2f} of {os.cpu_count()} — "
                f"{what} {measured / seconds:.2f}, PostgreSQL {postgres / seconds:.2f}, "
                f"the bench's senders {ours / seconds:.2f}")
        if self._database is not None:
            said += f"; {self._committed() - self._commits} transactions committed"
        return said

    def _committed(self) -> int:
        if self._database is None:
            return 0
        import psycopg

        with psycopg.connect(self._database.replace("postgresql+psycopg", "postgresql"),
                             autocommit=True) as db:
            return db.execute("SELECT xact_commit FROM pg_stat_database "
                              "WHERE datname = current_database()").fetchone()[0]

    def _measured(self) -> float:
        return sum(tree_cpu_seconds(p) for p in self._processes)

    @staticmethod
    def _machine() -> float:
        fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle and iowait
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _postgres() -> float:
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            if text.split("(", 1)[1].startswith("postgres"):
                fields = text.rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    @staticmethod
    def _ours() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime


def incidents_per_second(medic, env: dict, workers: int, count: int,
                         run: str) -> tuple[float, float]:
    """Start `workers` processes, hand them `count` new incidents at once, time them all.

    Return incidents/s and the workers' CPU milliseconds per incident.
    """
    from sqlalchemy import func, select

    from core.alerts import Alert
    from core.incidents import TERMINAL_STATES
    from core.tables import Incident
    from services.alerts import submit_alerts

    with ExitStack() as stack:
        started = [start(["worker"], env, stack) for _ in range(workers)]
        for process in started:
            wait_for_line(process, "waiting for incidents")
        alerts = [Alert(name=f"{run}-{i}", type="drift", values={"drift_share": 0.05})
                  for i in range(count)]
        cpu_before = sum(cpu_seconds(p) for p in started)
        cores = Cores(started, database=medic.settings.database_url)
        began = time.perf_counter()
        ids = [a.incident_id for a in submit_alerts(medic, alerts, actor="bench").incidents]
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            with medic.sessions() as session:
                closed = session.scalar(select(func.count()).where(
                    Incident.id.in_(ids), Incident.state.in_(TERMINAL_STATES)))
            if closed == count:
                seconds = time.perf_counter() - began
                cpu = sum(cpu_seconds(p) for p in started) - cpu_before
                print(f"  {workers} worker(s): {cores.said('workers')}", flush=True)
                return count / seconds, 1000 * cpu / count
            time.sleep(0.05)
    raise SystemExit(f"{workers} worker(s) left incidents unhandled after 600 s")


def alerts_per_second(urls: list[str], count: int, run: str, senders: int = 8,
                      batch: int = 1, servers: list[subprocess.Popen] = (),
                      database: str | None = None) -> float:
    """Send signed alerts, `batch` per request, spread over the API processes; alerts/s.

    Prints the API processes' CPU per alert (theirs and their intake children's).
    """
    # a duplicate keeps its fingerprint but is a fresh webhook (its own annotation): the same
    # body signed within the same second would be refused as a replay (401)
    alerts = [{"name": f"{run}-{i % (count // 2)}", "type": "drift",
               "values": {"drift_share": 0.6}, "annotations": {"sent": str(i)}}
              for i in range(count)]
    jobs = [("medic", alerts[i] if batch == 1 else alerts[i:i + batch])
            for i in range(0, count, batch)]
    failures: list[int] = []
    threads = [threading.Thread(target=send, args=(urls[i % len(urls)], jobs[i::senders],
                                                   failures)) for i in range(senders)]
    cpu_before = sum(tree_cpu_seconds(s) for s in servers)
    cores = Cores(servers, database=database)
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} alerts refused: {sorted(set(failures))}")
    rate = count / (time.perf_counter() - began)
    if servers:
        cpu = sum(tree_cpu_seconds(s) for s in servers) - cpu_before
        print(f"  {len(servers)} API process(es), {batch} per request: {rate:.0f} alerts/s, "
              f"API CPU per alert {1000 * cpu / count:.2f} ms; "
              f"{cores.said('API processes and their intake children')}", flush=True)
    return rate


def predictions_per_second(urls: list[str], key: str, seconds: int) -> float:
    """Load every API process at once with its own wrk; return the summed requests/s."""
    import json

    results: list[dict] = []
    threads = [threading.Thread(target=lambda u=url: results.append(
        wrk(u + "/v1/predict", json.dumps(PATIENT), {"X-API-Key": key}, seconds, 8)))
        for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if any(r["errors"] for r in results):
        raise SystemExit(f"non-2xx answers under load: {results}")
    return sum(r["rps"] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=150)
    parser.add_argument("--alerts", type=int, default=800)
    parser.add_argument("--batched-alerts", type=int, default=16000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--incidents-only", action="store_true",
                        help="measure the workers only (no API processes)")
    args = parser.parse_args()
    from ml.registry.aliases import open_registry
    from ml.training import train
    from services import keys
    from services.context import open_medic

    figures: dict[str, list[float]] = {}
    with fresh_database("medic_scale") as url, tempfile.TemporaryDirectory() as home:
        settings = Settings(home=home, _env_file=None, database_url=url,
                            webhook_secret=SECRET, alertmanager_token=TOKEN,
                            rate_limit_per_minute=0)
        print("training the champion into the bench's PostgreSQL database and MLflow store",
              flush=True)
        train.run(settings, open_registry(settings))
        env = {**os.environ, "MEDIC_HOME": home, "MEDIC_DATABASE_URL": url,
               "MEDIC_WEBHOOK_SECRET": SECRET, "MEDIC_ALERTMANAGER_TOKEN": TOKEN,
               "MEDIC_RATE_LIMIT_PER_MINUTE": "0", "MEDIC_UI": "false",
               "MEDIC_WORKER_POLL_SECONDS": "0.1", "MLFLOW_LOGGING_LEVEL": "WARNING",
               # the servers serve the champion trained here: none trains another model
               # (bike demand, say) in the background while they are measured
               "MEDIC_TRAIN_IN_BACKGROUND": "false"}
        with open_medic(settings) as medic:
            key = keys.create(medic, name="bench", role="admin", principal=None).key
            park_schedules(medic)
            runs = [incidents_per_second(medic, env, n, args.incidents, f"w{n}")
                    for n in (1, 2)]
        figures["incidents/s"] = [rate for rate, _ in runs]
        cpu = [ms for _, ms in runs]
        print(f"incidents/s: {figures['incidents/s'][0]:.1f} (1 worker), "
              f"{figures['incidents/s'][1]:.1f} (2 workers)", flush=True)
        if args.incidents_only:
            report(args, figures, cpu)
            return
        figures["alerts/s"], figures["alerts/s x100"], figures["predictions/s"] = [], [], []
        for n in (1, 2):
            with ExitStack() as stack:
                ports = [free_port() for _ in range(n)]
                servers = [start(["up", "--no-worker", "--port", str(p)], env, stack)
                           for p in ports]
                urls = [f"http://127.0.0.1:{p}" for p in ports]
                for server, base in zip(servers, urls, strict=True):
                    ready(base, server)
                figures["alerts/s"].append(alerts_per_second(
                    urls, args.alerts, f"a{n}", servers=servers, database=url))
                figures["alerts/s x100"].append(alerts_per_second(
                    urls, args.batched_alerts, f"b{n}", batch=100, servers=servers,
                    database=url))
                figures["predictions/s"].append(predictions_per_second(urls, key,
                                                                       args.seconds))
                if said := warned(servers):
                    print(f"  the API processes' logs: {said}", flush=True)
            print(f"{n} API process(es): alerts/s {figures['alerts/s'][-1]:.0f} (one per "
                  f"request), {figures['alerts/s x100'][-1]:.0f} (100 per request), "
                  f"predictions/s {figures['predictions/s'][-1]:.0f}", flush=True)
    report(args, figures, cpu)


def report(args, figures: dict[str, list[float]], cpu: list[float]) -> None:
    load = os.getloadavg()[0]
    print(f"\nPostgreSQL, {os.cpu_count()} cores, load average {load:.1f} at the end")
    what = {"incidents/s": f"{args.incidents} incidents, `medic worker` processes",
            "alerts/s": f"{args.alerts} signed alerts over HTTP, one per request, "
                        "`medic up --no-worker`",
            "alerts/s x100": f"{args.batched_alerts} signed alerts, 100 per request",
            "predictions/s": f"wrk -c8 for {args.seconds} s per API process"}
    for name, (one, two) in figures.items():
        print(f"{name:<14} 1 process {one:8.1f}   2 processes {two:8.1f}   x{two / one:.2f}"
              f"   ({what[name]})")
    print(f"worker CPU per incident: {cpu[0]:.0f} ms (1 worker), {cpu[1]:.0f} ms (2 workers);"
          f" wall time per incident per worker: {1000 / figures['incidents/s'][0]:.0f} ms, "
          f"{2000 / figures['incidents/s'][1]:.0f} ms")
    print(f"ratio: {figures['incidents/s'][1] / figures['incidents/s'][0]:.2f}")


if __name__ == "__main__":
    main()
