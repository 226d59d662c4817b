"""Bring the app database's schema to this code's revision with Alembic (SQLite, PostgreSQL).

Every schema change is a revision file in `versions/`, applied in order when a process
opens the database (`core.db.init_db`, under its lock). The first revision, `0001`, is the
schema of every release before Alembic; it creates only the tables missing, so a database
made by one of them (tables, no version row) is adopted in place: its tables are kept and
its rows with them, and the later revisions alter it like any other.

A fresh database is made by running the revisions too, not by `create_all` and a stamp:
then every database, new or upgraded, comes from the same steps, and every test that opens
a new home runs them; `tests/core/test_migrations.py` checks that they end at exactly the
tables of `core/tables.py`.

Alembic is imported only when there is something to do: a database already at `HEAD` costs
one SELECT, so a process's start-up (and every CLI command) skips Alembic's import.
"""

import functools
import logging
import threading
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from core.errors import ConfigError

HEAD = "0012"  # the newest revision in versions/ (a test checks they agree)
VERSION_TABLE = "medic_schema_version"  # not alembic_version: MLflow's tables use that name
FOLDER = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
_RUNNING = threading.Lock()  # Alembic's `context` and `op` are one per process


def revision(connection: Connection) -> str | None:
    """Return the database's revision; None when it has none yet (new, or before Alembic)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}"))


def upgrade(connection: Connection) -> None:
    """Apply the revisions the database lacks, in the caller's transaction.

    A database at a revision this code does not know was upgraded by a newer Medic:
    refused in one line rather than run against a schema it does not understand.
    """
    current = revision(connection)
    if current == HEAD:
        return
    from alembic.runtime.environment import EnvironmentContext

    config, script = alembic_config(connection), _revisions()
    if current is not None and not _known(script, current):
        raise ConfigError(
            f"the database's schema is at revision {current}, newer than this Medic's "
            f"({HEAD}): run the Medic that upgraded it, or restore the backup taken before")
    if current is None and not inspect(connection).has_table("incidents"):
        log.info("creating the app database's schema (revision %s)", HEAD)
    else:  # once per upgrade: worth a line in every process's log
        log.warning("upgrading the app database's schema from %s to revision %s (the "
                    "counts of a large prediction log are filled once: about a minute for "
                    "two million rows)",
                    f"revision {current}" if current else "before revisions", HEAD)
    with _RUNNING, EnvironmentContext(config, script, destination_rev="head",
                                      fn=lambda rev, _: script._upgrade_revs("head", rev)):
        script.run_env()  # what `alembic upgrade head` does, with the revisions read once


def alembic_config(connection: Connection | None = None):
    """Return an Alembic config on `versions/`, sharing the caller's connection (env.py)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def context_options() -> dict:
    """Return how Alembic sees this database: Medic's version table, Medic's tables only."""
    return {"version_table": VERSION_TABLE, "include_object": _only_medic_tables,
            "render_as_batch": True}


def _only_medic_tables(obj, name, type_, reflected, compare_to) -> bool:
    """Leave alone what is not Medic's: LangGraph's checkpoint tables share PostgreSQL."""
    return not (type_ == "table" and reflected and compare_to is None)


@functools.cache
def _revisions():
    """Return the revisions, read once a process: reading them took 0.13 s a new database."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    script.revision_map.heads  # build the map now, not in two threads at once  # noqa: B018
    return script


def _known(script, current: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(current) is not None
    except CommandError:
        return False
