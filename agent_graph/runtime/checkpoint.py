"""Open the checkpointer for a profile: SQLite on the embedded default, PostgreSQL in production."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.db import SCHEMA_LOCK, take_schema_lock
from core.home import private_file
from core.plans import ActionResult, Finding, PlannedAction
from core.settings import Settings

STATE_TYPES = (PlannedAction, ActionResult, Finding)
"""The classes the agent's state holds beyond plain data: the only ones a checkpoint revives."""


def serializer():
    """Return the checkpoints' serializer, reviving the state's own types and no others."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    return JsonPlusSerializer(allowed_msgpack_modules=[(t.__module__, t.__name__)
                                                       for t in STATE_TYPES])


@contextmanager
def open_checkpointer(url: str) -> Iterator:
    """Yield a ready checkpointer for a `sqlite:///path` or `postgresql://` URL."""
    if url.startswith("sqlite"):
        from langgraph.checkpoint.sqlite import SqliteSaver

        path = url.split("///", 1)[-1]
        private_file(Path(path))  # 0600, and so are its -wal and -shm
        connection = sqlite3.connect(path, check_same_thread=False, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        try:
            saver = SqliteSaver(connection, serde=serializer())
            saver.setup()
            yield saver
        finally:
            connection.close()
    elif url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from langgraph.checkpoint.postgres import PostgresSaver

        with PostgresSaver.from_conn_string(url.replace("postgresql+psycopg://",
                                                        "postgresql://")) as saver:
            saver.serde = serializer()
            # Its migrations are DDL: one starting process at a time (the app's own lock id).
            take_schema_lock(lambda: saver.conn.execute(
                "SELECT pg_try_advisory_lock(%s) AS locked", (SCHEMA_LOCK,)).fetchone()["locked"])
            try:
                saver.setup()
            finally:
                saver.conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
            yield saver
    else:
        raise ValueError(f"no checkpointer for {url.split(':', 1)[0]!r} URLs")


def thread_findings(saver, incident_id: int) -> list[Finding] | None:
    """Return what a thread's read tools found (the report's charts); None: no thread."""
    saved = saver.get_tuple({"configurable": {"thread_id": str(incident_id),
                                              "checkpoint_ns": ""}})
    if saved is None:
        return None
    return Finding.all(saved.checkpoint.get("channel_values", {}).get("findings"))


def checkpoint_url(settings: Settings) -> str:
    """Return where checkpoints live: beside the app database."""
    if settings.database_url.startswith("sqlite"):
        return f"sqlite:///{settings.home / 'checkpoints.db'}"
    return settings.database_url
