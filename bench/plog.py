"""Measure the partitioned prediction log at ten million rows a day, on PostgreSQL.

On a fresh PostgreSQL database (created here, dropped at the end) with a trained champion:

1. seed `--rows` predictions spread evenly over yesterday (UTC) for one model with COPY,
   features drawn from the four UCI sites, 10 % of them labelled; count them per slot
   the way the log's writer does (`rollup.backfill`);
2. time a monitor pass over that day (`services.monitors.run.run_checks` at the day's end: every
   enabled monitor of `configs/monitors.yaml`, the 24-hour performance window and the
   60-minute drift windows, as the worker runs it), `--passes` times;
3. start `medic up --no-worker` and time single-row `POST /v1/predict` from a process of
   its own (`bench/ingest.py`'s probe): `--seconds` with nothing else running, then
   `--seconds` during which the retention (`core/log_retention.apply`, what the worker's
   job runs) drops yesterday's partition with its labels and counts, then idle again.

Prints each figure and `ratio:` (p99 while the partition is dropped over the idle p99,
the mean of the rounds before and after).

Usage: .venv/bin/python bench/plog.py [--rows 10000000] [--passes 3] [--seconds 20]
Needs PostgreSQL (MEDIC_BENCH_PG, default postgresql://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import cpu_seconds, p99, probing  # noqa: E402
from bench.pg import fresh_database  # noqa: E402
from bench.scale import park_schedules, ready, start  # noqa: E402
from bench.serve import free_port  # noqa: E402

CHUNK = 200_000  # rows per COPY statement


def patients(medic) -> list[tuple[str, float]]:
    """Return Cleveland's patients (the training site: no drift) as the log stores them.

    Each is its features as JSON text and the champion's probability for it.
    """
    from ml import data, spec
    from ml.serving.model import champion_scorer

    model = spec.of(medic.settings)
    names = list(model.feature_names)
    frame = data.load_site(medic.settings.data_dir, "cleveland", model)
    scorer = champion_scorer(medic.registry, medic.registry.champion_artifact())
    probabilities = scorer(frame[names].to_numpy(dtype=float))
    return [(json.dumps({n: (None if v != v else float(v))
                         for n, v in zip(names, values, strict=True)}), float(p))
            for values, p in zip(frame[names].itertuples(index=False), probabilities,
                                 strict=True)]


def request_id(at_ms: int, serial: int) -> str:
    """A UUIDv7 id for `at_ms` (its random part from the serial: unique, cheap)."""
    value = at_ms << 80 | (serial * 0x9E3779B97F4A7C15) & ((1 << 80) - 1)
    value = value & ~(0xF << 76) & ~(0x3 << 62) | 0x7 << 76 | 0x2 << 62
    return f"{value:032x}"


def seed(url: str, day: datetime, count: int, pool: list[tuple[str, float]],
         version: str) -> float:
    """COPY `count` predictions spread over `day` into the log; return the seconds taken."""
    import psycopg

    from ml.serving.model import THRESHOLD

    started = time.perf_counter()
    step = 86_400_000 / count
    first_ms = int(day.timestamp() * 1000)
    with psycopg.connect(url) as connection:
        for low in range(0, count, CHUNK):
            lines = io.StringIO()
            for i in range(low, min(count, low + CHUNK)):
                at_ms = first_ms + int(i * step)
                at = datetime.fromtimestamp(at_ms / 1000, UTC).isoformat()
                features, probability = pool[(i * 7919) % len(pool)]
                lines.write(f"{request_id(at_ms, i)}\t{features}\t{probability}\t"
                            f"{int(probability >= THRESHOLD)}\t{version}\t0.8\t{at}\n")
            with connection.cursor().copy(
                    "COPY predictions (request_id, features, probability, label, "
                    "model_version, latency_ms, created_at) FROM STDIN") as copy:
                copy.write(lines.getvalue())
            connection.commit()
            print(f"  {min(count, low + CHUNK):,} rows", end="\r", flush=True)
        connection.execute(
            "INSERT INTO feedback (request_id, model, label, received_at) "
            "SELECT request_id, model, CASE WHEN id % 7 = 0 THEN 1 - label ELSE label END, "
            "created_at + interval '1 hour' FROM predictions WHERE id % 10 = 0")
        connection.commit()
    from core import rollup
    from core.db import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        rollup.backfill(connection)
    engine.dispose()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE predictions")
        connection.execute("VACUUM ANALYZE feedback")
    return time.perf_counter() - started


def monitor_passes(medic, at: datetime, passes: int) -> list[float]:
    """Time `passes` monitor passes over the log at `at`, as the worker's job runs them.

    Each distinct window's read alone is timed first (the pass reads each once).
    """
    from ml.monitoring import definitions
    from ml.serving.prediction_log import window
    from services.monitors.run import run_checks

    for minutes in sorted({d.window_minutes for d in
                           definitions.load(medic.settings.monitors_config).enabled}):
        started = time.perf_counter()
        rows = len(window(medic.sessions, minutes, now=at))
        print(f"  window of {minutes} min: {rows:,} rows read in "
              f"{time.perf_counter() - started:.2f} s", flush=True)
    seconds = []
    for _ in range(passes):
        started, cpu, database = time.perf_counter(), time.process_time(), backends(medic)
        results = run_checks(medic, now=at)
        seconds.append(time.perf_counter() - started)
        used = time.process_time() - cpu, backends(medic) - database
        print(f"  monitor pass {seconds[-1]:.2f} s (CPU: {used[0]:.2f} s this process, "
              f"{used[1]:.2f} s PostgreSQL): " + ", ".join(
            f"{r.name} {r.state} ({r.rows:,} rows)" for r in results), flush=True)
    return seconds


def backends(medic) -> float:
    """Return the CPU seconds used so far by the PostgreSQL backends on the bench's database."""
    import psycopg

    with psycopg.connect(medic.settings.database_url, autocommit=True) as connection:
        pids = [row[0] for row in connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")]
    return sum(cpu_seconds(pid) for pid in pids)


def probe(base: str, key: str, seconds: float, during=None) -> tuple[float, float, int]:
    """Time predictions for `seconds` while `during()` runs; return p99, p50 ms and count."""
    with probing(base, key) as latencies:
        if during is not None:
            worker = threading.Thread(target=during)
            worker.start()
        time.sleep(seconds)
        if during is not None:
            worker.join()
    return p99(latencies), statistics.median(latencies), len(latencies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()

    from sqlalchemy import text

    from core import log_retention
    from core.log_partitions import day_start
    from core.settings import Settings
    from ml.registry.aliases import open_registry
    from ml.training import train
    from services import keys
    from services.context import open_medic

    today = day_start(datetime.now(UTC))
    day = today - timedelta(days=1)
    with fresh_database("medic_plog") as url, tempfile.TemporaryDirectory() as home:
        settings = Settings(home=home, _env_file=None, database_url=url,
                            rate_limit_per_minute=0)
        print("training the champion into the bench's PostgreSQL database", flush=True)
        train.run(settings, open_registry(settings))
        with open_medic(settings) as medic:
            key = keys.create(medic, name="bench", role="admin", principal=None).key
            park_schedules(medic)
            print(f"seeding {args.rows:,} predictions over {day:%Y-%m-%d}", flush=True)
            champion = medic.registry.champion_artifact().version
            seconds = seed(url, day, args.rows, patients(medic), champion)
            with medic.sessions.begin() as session:  # champion since before the seeded day
                session.execute(text("UPDATE registry_events SET at = at - interval '3 days'"))
            print(f"seeded in {seconds:.0f} s (COPY, labels, counts, VACUUM ANALYZE)")
            passes = monitor_passes(medic, day + timedelta(days=1), args.passes)
        env = {**os.environ, "MEDIC_HOME": home, "MEDIC_DATABASE_URL": url,
               "MEDIC_RATE_LIMIT_PER_MINUTE": "0", "MEDIC_UI": "false",
               "MLFLOW_LOGGING_LEVEL": "WARNING"}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        from contextlib import ExitStack

        with ExitStack() as stack:
            server = start(["up", "--no-worker", "--port", str(port)], env, stack)
            ready(base, server)
            httpx.get(base + "/v1/approvals", headers={"X-API-Key": key}, timeout=120)
            time.sleep(3.0)
            dropped: dict = {}

            def drop() -> None:
                with open_medic(settings) as medic:
                    began = time.perf_counter()
                    removed = log_retention.apply(medic.sessions, days=0,
                                                  now=datetime.now(UTC))
                    dropped.update(seconds=time.perf_counter() - began,
                                   partitions=removed.partitions, rows=removed.rows)

            probe(base, key, args.seconds)  # warm-up: the server's first requests
            before = probe(base, key, args.seconds)
            during = probe(base, key, args.seconds, drop)
            after = probe(base, key, args.seconds)
    report(args, seconds, passes, before, during, after, dropped)


def report(args, seeded: float, passes: list[float], before, during, after,
           dropped: dict) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{args.rows:,} predictions in one day, seeded in {seeded:.0f} s")
    print("monitor pass over that day (target < 5 s): "
          + ", ".join(f"{s:.2f} s" for s in passes)
          + f"; median {statistics.median(passes):.2f} s")
    print(f"retention dropped {dropped.get('partitions')} ({dropped.get('rows', 0)} rows "
          f"deleted one by one) in {dropped.get('seconds', float('nan')):.2f} s")
    for name, (tail, middle, count) in (("idle, before", before), ("partition drop", during),
                                        ("idle, after", after)):
        print(f"  single-row predict, {name:<15} p50 {middle:6.2f} ms  p99 {tail:6.2f} ms  "
              f"({count} requests)")
    idle = (before[0] + after[0]) / 2
    print(f"ratio: {during[0] / idle:.2f}")


if __name__ == "__main__":
    main()
