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

import logging
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from core.errors import ConfigError

HEAD = "0011"  # the newest revision in versions/ (a test checks they agree)
VERSION_TABLE = "medic_schema_version"  # not alembic_version: MLflow's tables use that name
FOLDER = Path(__file__).resolve().parent
log = logging.getLogger(__name__)


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
    from alembic import command

    config = alembic_config(connection)
    script = _script(config)
    if current is not None and not _known(script, current):
        raise ConfigError(
            f"the database's schema is at revision {current}, newer than this Medic's "
            f"({HEAD}): run the Medic that upgraded it, or restore the backup taken before")
    if current is None and not inspect(connection).has_table("incidents"):
        log.info("creating the app database's schema (revision %s)", HEAD)
    else:  # once per upgrade: worth a line in every process's log
        log.warning("upgrading the app database's schema from %s to revision %s",
                    f"revision {current}" if current else "before revisions", HEAD)
    command.upgrade(config, "head")


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


def _script(config):
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config)


def _known(script, current: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(current) is not None
    except CommandError:
        return False
