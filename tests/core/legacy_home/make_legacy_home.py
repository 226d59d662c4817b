"""Build the legacy homes the upgrade tests start from: run once, with the code before Alembic.

    .venv/bin/python tests/core/legacy_home/make_legacy_home.py

Writes, next to this file, for SQLite and for PostgreSQL: the database as a SQL dump
(`sqlite.sql`, `postgres.sql`) and the home files that belong with it (`sqlite/`,
`postgres/`: the generated secrets, among them the audit key, and the audit anchor), plus
`expected.json`: what the upgraded home must still hold, and the API keys in clear (test
keys, made for this fixture only). Every row is written through the code paths that wrote
them then: alerts ingested, an approval requested and decided, keys created, predictions
logged with their labels, monitor checks kept.

Running it again with later code would make homes of that code, not of the releases before
Alembic; the upgrade test would notice (it checks the dump has no schema revision).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("MEDIC_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def fill(settings) -> dict:
    """Write incidents, an approval, keys, predictions, labels and monitor history."""
    from agent_graph.store import request_approval
    from ml.prediction_log import PredictionLog

    from core import keys, monitor_states
    from core.roles import Principal
    from services import alerts, approvals
    from services.context import open_medic
    from services.predictions import record_feedback

    with open_medic(settings, clock=lambda: START) as medic:
        accepted = alerts.submit(medic, [
            {"name": name, "type": kind, "labels": {"severity": "warning"},
             "annotations": {"summary": f"{name} on heart-disease"}}
            for name, kind in (("DataDrift", "drift"), ("F1Drop", "performance"),
                               ("LatencyHigh", "system_error"))], format="medic", actor="fixture")
        incident = accepted.incidents[0].incident_id
        first = request_approval(medic.sessions, incident_id=incident, digest="a" * 64,
                                 actions=[{"tool": "rollback", "args": {}}], context={},
                                 requested_at=START, expires_at=START + timedelta(days=365))
        request_approval(medic.sessions, incident_id=accepted.incidents[1].incident_id,
                         digest="b" * 64, actions=[{"tool": "retrain", "args": {}}],
                         context={}, requested_at=START,
                         expires_at=START + timedelta(days=365))
        approvals.decide(medic, first.id, principal=Principal("ana", "approver"),
                         approve=True, comment="fixture")
        made = {}
        with medic.sessions.begin() as session:
            for name, role in (("ana", "approver"), ("ops", "operator"), ("bot", "viewer")):
                made[name] = keys.create(session, name=name, role=role, actor="fixture")
        with medic.sessions.begin() as session:
            keys.revoke(session, name="bot", actor="fixture")
        log = PredictionLog(medic.sessions)
        for n in range(300):
            log.add({"request_id": f"r{n}", "features": {"age": 40.0 + n % 30},
                     "probability": (n % 10) / 10, "label": int(n % 10 >= 5),
                     "model_version": "1" if n < 150 else "2", "latency_ms": 1.5,
                     "created_at": START + timedelta(seconds=7 * n)})
        log.close()
        for n in range(0, 300, 3):
            record_feedback(sessions=medic.sessions, log=log, request_id=f"r{n}",
                            label=int(n % 4 == 0))
        for hour in range(12):
            monitor_states.append_history(medic.sessions, [
                {"name": "data_drift", "state": "ok" if hour < 8 else "firing",
                 "value": hour / 20, "points": {"age": hour / 20}},
                {"name": "f1", "state": "ok", "value": 0.8, "points": {"f1": 0.8}}],
                now=START + timedelta(hours=hour), keep=timedelta(days=3650))
        monitor_states.save(medic.sessions, {"data_drift": {
            "firing": True, "breaches": 4, "clears": 0, "level": "warning"}})
    return {"keys": made, "revoked": ["bot"]}


def counts(url: str) -> dict[str, int]:
    """Count the rows of every app table."""
    from sqlalchemy import func, select

    from core.db import make_engine
    from core.tables import Base

    engine = make_engine(url)
    with engine.connect() as connection:
        found = {t.name: connection.scalar(select(func.count()).select_from(t))
                 for t in Base.metadata.sorted_tables}
    engine.dispose()
    return found


@contextmanager
def postgres_database():
    """Create a scratch PostgreSQL database; drop it afterwards."""
    import psycopg

    name = "medic_legacy_fixture"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(kind: str, work: Path) -> dict:
    """Build one legacy home of `kind` (sqlite or postgres); keep its dump and home files."""
    from core.settings import Settings

    home = work / kind
    out = HERE / kind
    shutil.rmtree(out, ignore_errors=True)
    with (postgres_database() if kind == "postgres" else _nothing()) as url:
        extra = {"database_url": url} if url else {}
        settings = Settings(home=home, _env_file=None, ingest_process=False, **extra)
        made = fill(settings)
        if kind == "postgres":
            dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "--inserts",
                                   url], check=True, capture_output=True, text=True).stdout
        else:
            with sqlite3.connect(home / "medic.db") as connection:
                dump = "\n".join(connection.iterdump()) + "\n"
        made["rows"] = counts(settings.database_url)
    (HERE / f"{kind}.sql").write_text(dump)
    out.mkdir()
    for name in ("secrets.json", "audit-anchor.log"):
        shutil.copyfile(home / name, out / name)
    return made


@contextmanager
def _nothing():
    yield None


def main() -> None:
    """Build both homes in a scratch folder and write what the tests expect."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        expected = {kind: build(kind, Path(scratch)) for kind in ("sqlite", "postgres")}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
