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
    _medic(home, "models", "list")  # the MLflow store
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
