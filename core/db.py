"""Create the app database engine and bring its schema up to date (SQLite, or PostgreSQL)."""

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from core import log_partitions, migrations, monitor_counts, rollup
from core.audit import attach, install_guards
from core.audit_seal import Seal
from core.clock import utcnow
from core.errors import Unavailable
from core.home import private_file
from core.monitor_tables import Silence  # noqa: F401  (registers the watching tables)

log = logging.getLogger(__name__)
T = TypeVar("T")


class EncodedJSON(str):
    """JSON text encoded where the value was validated: a JSON column stores it as it is.

    Encoding a prediction's features again with `json.dumps` was most of what logging a
    prediction cost; pydantic-core encodes them in a fraction of that on the request path.
    """


def _json(value) -> str:
    return value if isinstance(value, EncodedJSON) else json.dumps(value)


def make_engine(url: str) -> Engine:
    """Build an engine; for SQLite create the folder and turn on WAL and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            private_file(Path(path))  # 0600, and so are its -wal and -shm
        engine = create_engine(url, json_serializer=_json,
                               connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, json_serializer=_json, pool_pre_ping=True)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


SCHEMA_LOCK = 0x6D65646963  # "medic": PostgreSQL advisory lock id for schema set-up


def take_schema_lock(try_lock: Callable[[], bool], *, timeout: float = 300.0,
                     poll_seconds: float = 0.05) -> None:
    """Wait for the schema lock by polling, never inside an open transaction.

    `try_lock` runs one `pg_try_advisory_lock(SCHEMA_LOCK)` in a transaction of its own.
    A process blocked in `pg_advisory_lock` would hold a transaction open while it waits,
    and the holder may be running LangGraph's checkpoint migrations, whose CREATE INDEX
    CONCURRENTLY waits for every open transaction: each would wait for the other until
    PostgreSQL killed one as a deadlock (two workers starting together).
    """
    deadline = time.monotonic() + timeout
    while not try_lock():
        if time.monotonic() > deadline:
            raise Unavailable(f"another process has held the schema set-up lock for "
                              f"{timeout:.0f} s; is one stuck?")
        time.sleep(poll_seconds)


def init_db(engine: Engine) -> None:
    """Bring the schema to this code's revision and install the audit guards, one at a time.

    The schema comes from the Alembic revisions in `core/migrations`; a database made
    before them is adopted in place. Two processes starting together must not both run
    them: on PostgreSQL (which also refuses concurrent DDL on the same objects, "tuple
    concurrently updated") replicas and workers take an advisory lock first; on SQLite
    the transaction starts with the database's write lock (BEGIN IMMEDIATE), so the
    second process waits, then finds the schema done.
    """
    if engine.dialect.name != "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            _create(connection)
            connection.commit()
        return
    lock = {"id": SCHEMA_LOCK}
    with engine.connect() as connection:
        def try_lock() -> bool:
            locked = connection.scalar(text("SELECT pg_try_advisory_lock(:id)"), lock)
            connection.commit()
            return bool(locked)

        take_schema_lock(try_lock)
        try:
            with connection.begin():
                _create(connection)
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), lock)
            connection.commit()


def _create(connection) -> None:
    known = inspect(connection)
    upgraded = not all(known.has_table(t) for t in ("prediction_counts", "label_counts"))
    hourly = not known.has_table("monitor_hour_counts")
    migrations.upgrade(connection)
    install_guards(connection)
    if upgraded:  # a home from before the counts: count what its log already holds, once
        rollup.backfill(connection)
    if hourly:  # and what its monitors' history holds
        monitor_counts.backfill(connection)
    if log_partitions.is_partitioned(connection):  # PostgreSQL: the days ahead have a home
        log_partitions.ensure(connection, utcnow().date())


def sessions(engine: Engine, *, seal: Seal | None = None) -> sessionmaker:
    """Return a session factory bound to the engine; with a seal its sessions may audit."""
    factory = sessionmaker(engine, expire_on_commit=False)
    return attach(factory, seal) if seal is not None else factory


def connect(url: str, *, seal: Seal | None = None) -> sessionmaker:
    """Return a session factory on a ready database (engine built, tables created)."""
    engine = make_engine(url)
    init_db(engine)
    return sessions(engine, seal=seal)


RETRYABLE = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure


def retried(attempt: Callable[[], T], *, times: int = 3) -> T:
    """Run a whole transaction again when PostgreSQL aborted it to break a deadlock.

    The database rolled everything back, so running it again is exactly what PostgreSQL's
    documentation asks of the client; any other error is raised at once.
    """
    for left in range(times - 1, -1, -1):
        try:
            return attempt()
        except OperationalError as error:
            if left == 0 or getattr(error.orig, "sqlstate", None) not in RETRYABLE:
                raise
            log.warning("transaction aborted by PostgreSQL (%s); running it again",
                        error.orig.sqlstate)
    raise AssertionError("times must be at least 1")
