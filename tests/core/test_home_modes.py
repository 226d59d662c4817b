"""Item 8 (issue 22): Medic's home is 0700 and what it writes there 0600, whatever the umask."""

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from core.db import make_engine
from core.settings import PROJECT_ROOT


def _medic(home: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a `medic` command as a user with the usual umask (022) would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIC_")}
    done = subprocess.run([sys.executable, "-m", "cli", *args], cwd=PROJECT_ROOT,
                          env={**env, "MEDIC_HOME": str(home), "DO_NOT_TRACK": "true"},
                          capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.umask(0o022))
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.mark.slow
def test_item8_a_new_home_and_its_databases_are_private(tmp_path):
    home = tmp_path / "medic"
    made = _medic(home, "keys", "create", "--role", "admin", "--name", "first", "--json")
    key = json.loads(made.stdout)["key"]
    _medic(home, "models", "versions")  # the MLflow store (a list reads the app database)
    _medic(home, "incidents", "prune-checkpoints", "--key", key)  # the agent's checkpoints
    _medic(home, "validate", str(PROJECT_ROOT / "data" / "raw" / "processed.cleveland.data"),
           "--out", str(tmp_path / "report.json"))
    assert _mode(home) == "0o700"
    files = ["medic.db", "mlflow.db", "checkpoints.db", "audit-anchor.log", "secrets.json"]
    assert {name: _mode(home / name) for name in files} == dict.fromkeys(files, "0o600")
    [report] = (home / "validation").iterdir()
    assert (_mode(report), _mode(tmp_path / "report.json")) == ("0o600", "0o600")


def test_item8_a_databases_journal_is_as_private_as_the_database(tmp_path):
    home = tmp_path / "medic"
    _medic(home, "keys", "create", "--role", "admin", "--name", "first")
    engine = make_engine(f"sqlite:///{home / 'medic.db'}")
    with engine.begin() as connection:  # held open: its -wal and -shm exist meanwhile
        connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
        modes = {end: _mode(home / f"medic.db{end}") for end in ("-wal", "-shm")}
    engine.dispose()
    assert modes == {"-wal": "0o600", "-shm": "0o600"}


def test_item8_a_home_made_readable_before_is_tightened(tmp_path):
    home = tmp_path / "medic"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    sqlite3.connect(home / "medic.db").close()
    os.chmod(home / "medic.db", 0o644)
    _medic(home, "audit", "verify")
    assert (_mode(home), _mode(home / "medic.db")) == ("0o700", "0o600")


def test_making_an_open_database_private_keeps_this_process_s_locks_on_it(tmp_path):
    """Closing any descriptor of a file drops the process's POSIX locks on it (SQLite's too):
    `private_file` on a database this process has open must not open one."""
    import fcntl

    from core.home import private_file

    database = tmp_path / "medic.db"
    database.write_bytes(b"")
    held = os.open(database, os.O_RDWR)
    try:
        fcntl.lockf(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as SQLite locks a database it writes
        private_file(database)
        probe = ("import fcntl, os, sys; d = os.open(sys.argv[1], os.O_RDWR)\n"
                 "try:\n    fcntl.lockf(d, fcntl.LOCK_EX | fcntl.LOCK_NB); print('taken')\n"
                 "except OSError:\n    print('held')")
        seen = subprocess.run([sys.executable, "-c", probe, str(database)],
                              capture_output=True, text=True, timeout=60).stdout.strip()
        assert seen == "held"
    finally:
        os.close(held)
