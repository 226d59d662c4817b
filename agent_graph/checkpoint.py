"""Open the checkpointer for a profile: SQLite on the embedded default, PostgreSQL in production."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.db import SCHEMA_LOCK, take_schema_lock
from core.home import private_file


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
            saver = SqliteSaver(connection)
            saver.setup()
            yield saver
        finally:
            connection.close()
    elif url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from langgraph.checkpoint.postgres import PostgresSaver

        with PostgresSaver.from_conn_string(url.replace("postgresql+psycopg://",
                                                        "postgresql://")) as saver:
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


def checkpoint_url(settings) -> str:
    """Return where checkpoints live: beside the app database."""
    if settings.database_url.startswith("sqlite"):
        return f"sqlite:///{settings.home / 'checkpoints.db'}"
    return settings.database_url
