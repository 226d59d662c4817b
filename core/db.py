"""Create the app database engine and its tables (SQLite by default, PostgreSQL in production)."""

import json
import logging
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker

from core.audit import attach, install_guards
from core.audit_seal import Seal
from core.tables import Base
from core.watch_tables import Silence  # noqa: F401  (registers the watching tables)

log = logging.getLogger(__name__)


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
            Path(path).parent.mkdir(parents=True, exist_ok=True)
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


def init_db(engine: Engine) -> None:
    """Create any missing table and the audit guards, one process at a time.

    PostgreSQL refuses concurrent DDL on the same objects ("tuple concurrently updated"),
    so several replicas and workers starting together take an advisory lock first.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK})
        Base.metadata.create_all(connection)
        install_guards(connection)


def sessions(engine: Engine, *, seal: Seal | None = None) -> sessionmaker:
    """Return a session factory bound to the engine; with a seal its sessions may audit."""
    factory = sessionmaker(engine, expire_on_commit=False)
    return attach(factory, seal) if seal is not None else factory


def connect(url: str, *, seal: Seal | None = None) -> sessionmaker:
    """Return a session factory on a ready database (engine built, tables created)."""
    engine = make_engine(url)
    init_db(engine)
    return sessions(engine, seal=seal)
