"""How long the first start of this version takes on a home made before Alembic.

Builds the schema before Alembic (revision 0001, its version row removed) holding `--rows`
predictions, half of them labelled, with their per-slot counts, on SQLite and PostgreSQL;
then times `init_db`, the call every process makes at start-up, which adopts the database
and applies the later revisions: in this process (Alembic already imported), and as a new
process's first start does it (importing Alembic), against the next start's (nothing to do).
Run: PYTHONPATH=. python bench/upgrade.py [--rows 100000]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import func, insert, select, text

from core import migrations, rollup
from core.db import init_db, make_engine
from core.migrations import log as migrations_log
from core.tables import Feedback, Prediction

PG_ADMIN = os.environ.get("MEDIC_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
START = datetime(2026, 11, 1, tzinfo=UTC)


@contextmanager
def postgres():
    """Create a database for this run; drop it afterwards, whatever happened."""
    import psycopg

    name = f"medic_upgrade_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def legacy(url: str, rows: int) -> None:
    """Write the schema before Alembic and `rows` predictions, as that code left them."""
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), "0001")
        connection.execute(text(f"DROP TABLE {migrations.VERSION_TABLE}"))
        for first in range(0, rows, 10_000):
            batch = [{"request_id": f"r{n}", "features": {"age": 40.0 + n % 30},
                      "probability": (n % 10) / 10, "label": n % 2, "model_version": "1",
                      "latency_ms": 1.0, "created_at": START + timedelta(seconds=n)}
                     for n in range(first, min(rows, first + 10_000))]
            connection.execute(insert(Prediction), batch)
            connection.execute(insert(Feedback), [{"request_id": r["request_id"], "label": 1}
                                                  for r in batch[::2]])
        rollup.backfill(connection)
    engine.dispose()


def timed(url: str) -> tuple[float, int]:
    """Time one start-up's init_db on the database; check every row is still there."""
    engine = make_engine(url)
    began = time.perf_counter()
    init_db(engine)
    took = time.perf_counter() - began
    with engine.connect() as connection:
        kept = connection.scalar(select(func.count()).select_from(Prediction)
                                 .where(Prediction.model == "heart-disease"))
    engine.dispose()
    return took, kept


def in_a_new_process(url: str) -> float:
    """Time init_db in a fresh interpreter, as a starting replica runs it."""
    script = (f"import time; from core.db import init_db, make_engine; e = make_engine({url!r}); "
              "t = time.perf_counter(); init_db(e); print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1])
    return float(done.stdout.split()[-1])


def report(name: str, url: str, rows: int) -> None:
    """Upgrade a legacy copy in this process, another as a new process; print both."""
    legacy(url, rows)
    took, kept = timed(url)
    print(f"{name:10} {rows} predictions: upgraded in {took:.2f} s, {kept} kept; ", end="")
    with (postgres() if name == "postgresql" else _scratch_sqlite()) as again:
        legacy(again, rows)
        first, then = in_a_new_process(again), in_a_new_process(again)
    print(f"in a new process {first:.2f} s, its next start {then:.3f} s")


@contextmanager
def _scratch_sqlite():
    with tempfile.TemporaryDirectory() as scratch:
        yield f"sqlite:///{Path(scratch) / 'medic.db'}"


def main() -> None:
    """Print the upgrade time on SQLite and on PostgreSQL."""
    migrations_log.disabled = True  # its one line per upgrade would cut the table
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    with _scratch_sqlite() as url:
        report("sqlite", url, rows)
    with postgres() as url:
        report("postgresql", url, rows)


if __name__ == "__main__":
    main()
