"""Time the prediction log's writer with and without the histograms it keeps, side by side.

Writes `--rows` predictions of one model (answer times 0-20 ms, over the last `--minutes`)
through `PredictionLog` in batches of 500 into a new database, and labels a tenth of them
through `record_feedback`, each as the API does, alternately with the histograms counted
(`latency_counts`, `score_counts`, `error_sums`: what this writer does) and without them
(the same code with those three tables' upserts skipped: the writer before them). Prints
each round's seconds, the medians and `ratio:` (with / without).

Usage: .venv/bin/python bench/log_writer.py [--rows 100000] [--rounds 2]
       [--database sqlite|postgresql://postgres@127.0.0.1:5432]
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fresh(server: str, name: str, folder: Path) -> str:
    """Return the URL of a new, empty database `name` (a SQLite file in `folder`)."""
    if server == "sqlite":
        return f"sqlite:///{folder / name}.db"
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server.replace('postgresql://', 'postgresql+psycopg://')}/{name}"


def drop(server: str, name: str) -> None:
    if server != "sqlite":
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write(url: str, rows: int, minutes: int, *, histograms: bool) -> float:
    """Return the seconds to log `rows` predictions and label a tenth of them."""
    import numpy as np

    from core import rollup
    from core.db import connect
    from core.tables import ErrorSum, LatencyCount, ScoreCount
    from ml.serving.prediction_log import PredictionLog
    from services.predictions import record_feedback

    sessions = connect(url)
    add = rollup._add
    if not histograms:  # the writer before them: the same upserts, less these two tables'
        rollup._add = lambda session, table, values: None if table in (
            LatencyCount, ScoreCount, ErrorSum) else add(session, table, values)
    rng = np.random.default_rng(0)
    now = datetime.now(UTC)
    try:
        started = time.perf_counter()
        log = PredictionLog(sessions, batch=500)
        for i in range(rows):
            score = float(rng.random())
            log.add({"request_id": f"r{i}", "model": "heart-disease",
                     "features": {"age": 50.0}, "probability": score,
                     "label": int(score >= 0.5), "model_version": "1",
                     "latency_ms": float(rng.uniform(0, 20)),
                     "created_at": now - timedelta(minutes=minutes * (1 - i / rows))})
            if i % 500 == 499:
                log.flush_now()
        log.close()
        for i in range(0, rows, 10):
            record_feedback(sessions=sessions, log=log, request_id=f"r{i}",
                            label=int(rng.random() < 0.5))
        return time.perf_counter() - started
    finally:
        rollup._add = add
        sessions.kw["bind"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--minutes", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database", default="sqlite",
                        help="sqlite, or a PostgreSQL server's URL without a database")
    options = parser.parse_args()
    from core.db import init_db, make_engine

    taken: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as folder:
        for turn in range(options.rounds):
            for counted in ((True, False) if turn % 2 == 0 else (False, True)):
                name = f"medic_log_writer_{int(counted)}_{turn}"
                url = fresh(options.database, name, Path(folder))
                engine = make_engine(url)
                init_db(engine)
                engine.dispose()
                seconds = write(url, options.rows, options.minutes, histograms=counted)
                drop(options.database, name)
                taken[counted].append(seconds)
                print(f"round {turn + 1}, {'with' if counted else 'without'} histograms: "
                      f"{seconds:.1f} s", flush=True)
    with_, without = statistics.median(taken[True]), statistics.median(taken[False])
    print(f"median with {with_:.1f} s, without {without:.1f} s; ratio: {with_ / without:.2f}")


if __name__ == "__main__":
    main()
