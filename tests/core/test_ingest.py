"""A payload is stored in one transaction exactly as its alerts would be one by one."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core import audit, silences
from core.alerts import from_medic
from core.audit_seal import Seal
from core.db import connect
from core.errors import NotFound, SignatureError
from core.ingest import ingest
from core.monitor_tables import IncidentFlaps, SilencedAlert
from core.tables import AgentWork, AlertRecord, AuditEntry, Incident
from tests.conftest import make_settings

FROZEN = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
HOUR = 3600.0

MIXED = from_medic([
    {"name": "FeatureDrift", "type": "drift"},  # opens an incident
    {"name": "FeatureDrift", "type": "drift"},  # joins it
    {"name": "LatencyBlip", "type": "system_error", "labels": {"severity": "info"}},
    {"name": "LatencyBlip", "type": "system_error", "labels": {"severity": "info"},
     "status": "resolved"},  # closes the blip's incident, opened in this same payload
    {"name": "LatencyBlip", "type": "system_error", "labels": {"severity": "info"}},  # a flap
    {"name": "DiskCheck", "type": "system_error", "labels": {"team": "db"}},  # silenced
    {"name": "FeatureDrift", "type": "drift", "status": "resolved"},  # closes the drift
    {"name": "FeatureDrift", "type": "drift"},  # opens a second drift incident
    {"name": "F1Drop", "type": "performance"},
])


def _open(home):
    settings = make_settings(home)
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    with sessions.begin() as session:
        silences.create(session, matchers={"team": "db"}, duration=timedelta(hours=1),
                        comment="maintenance", actor="tests", now=FROZEN)
    return settings, sessions


def _stored(settings, sessions) -> dict:
    """Everything a person could see of the ingestion, and whether the chain is whole."""
    with sessions() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return {
            "incidents": session.execute(select(
                Incident.id, Incident.fingerprint, Incident.state, Incident.alert_count,
                Incident.open_key.is_not(None), Incident.handled).order_by(Incident.id)).all(),
            "alerts": session.execute(select(AlertRecord.incident_id, AlertRecord.status)
                                      .order_by(AlertRecord.id)).all(),
            "silenced": session.scalar(select(func.count()).select_from(SilencedAlert)),
            "flaps": session.execute(select(IncidentFlaps.incident_id, IncidentFlaps.flaps))
                            .all(),
            "work": session.execute(select(AgentWork.incident_id, AgentWork.wakes)
                                    .order_by(AgentWork.incident_id)).all(),
            "audit": [(e.event, e.incident_id, e.actor, e.data) for e in entries],
            "verify": audit.verify(session).ok,
            "anchored": Seal.of(settings).read().hashes == {e.id: e.hash for e in entries},
        }


def test_a_payload_is_stored_as_its_alerts_one_by_one(tmp_path):
    together = _open(tmp_path / "together")
    ingested = ingest(together[1], MIXED, clock=lambda: FROZEN, flap_cooldown=HOUR)
    apart = _open(tmp_path / "apart")
    one_by_one = [ingest(apart[1], alert, clock=lambda: FROZEN, flap_cooldown=HOUR)[0]
                  for alert in MIXED]

    assert ingested == one_by_one
    stored = _stored(*together)
    assert stored == _stored(*apart)
    assert [(i.incident_id, i.created, i.silence_id is not None) for i in ingested] == [
        (1, True, False), (1, False, False), (2, True, False), (2, False, False),
        (2, False, False), (None, False, True), (1, False, False), (3, True, False),
        (4, True, False)]
    assert [row[2:5] for row in stored["incidents"]] == [
        ("closed", 3, False), ("closed", 3, False), ("open", 1, True), ("open", 1, True)]
    assert [event for event, *_ in stored["audit"]] == [
        "silence_added", "alert_received", "alert_joined", "alert_received",
        "alert_resolved_at_source", "incident_closed", "alert_flapped", "alert_silenced",
        "alert_resolved_at_source", "incident_closed", "alert_received", "alert_received"]
    assert stored["flaps"] == [(2, 1)] and stored["silenced"] == 1
    assert stored["work"] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert stored["verify"] and stored["anchored"]


def test_a_payload_that_fails_stores_nothing_and_leaves_its_signature_unspent(tmp_path):
    settings, sessions = _open(tmp_path / "medic")
    ingest(sessions, MIXED[:2], clock=lambda: FROZEN)
    before = _stored(settings, sessions)
    unknown = from_medic({"name": "NeverFired", "status": "resolved"})

    with pytest.raises(NotFound, match="NeverFired"):
        ingest(sessions, MIXED[7:] + unknown, signature="abc", clock=lambda: FROZEN)

    assert _stored(settings, sessions) == before
    [stored] = ingest(sessions, MIXED[8:], signature="abc", clock=lambda: FROZEN)
    assert stored.created
    with pytest.raises(SignatureError, match="replay"):
        ingest(sessions, MIXED[8:], signature="abc", clock=lambda: FROZEN)
    after = _stored(settings, sessions)
    assert len(after["audit"]) == len(before["audit"]) + 1
    assert after["verify"] and after["anchored"]


def _senders(sessions, payloads: int, per_payload: int, fingerprints: int) -> list[str]:
    """Four threads store payloads at once, each alert naming one of a few incidents."""
    errors: list[str] = []

    def send(thread: int) -> None:
        try:
            for number in range(payloads):
                ingest(sessions, from_medic([
                    {"name": f"drift-{(thread + number + i) % fingerprints}", "type": "drift"}
                    for i in range(per_payload)]), actor=f"sender-{thread}")
        except Exception as error:  # what a sender would get back as a 500
            errors.append(repr(error)[:300])

    threads = [threading.Thread(target=send, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres",
                                                            marks=pytest.mark.postgres)])
def test_payloads_stored_at_once_are_each_counted_once(backend, tmp_path, request):
    settings = make_settings(tmp_path / "medic")
    if backend == "postgres":
        settings.database_url = request.getfixturevalue("postgres_url")
    sessions = connect(settings.database_url, seal=Seal.of(settings))

    assert _senders(sessions, payloads=10, per_payload=50, fingerprints=30) == []

    stored = _stored(settings, sessions)
    assert len(stored["incidents"]) == 30  # one per fingerprint, however the writes raced
    assert sum(row[3] for row in stored["incidents"]) == len(stored["alerts"]) == 2000
    assert stored["work"] == [(row[0], 1) for row in stored["incidents"]]
    assert len(stored["audit"]) == 2000 and stored["verify"] and stored["anchored"]
