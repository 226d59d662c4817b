"""One injected clock: ingestion, the audit log and the status tools all read it."""

from datetime import UTC, datetime, timedelta

from core import audit, incidents
from core.alerts import Alert
from core.audit_seal import Seal
from core.db import connect
from core.ingest import ingest
from tests.conftest import make_settings
from tools import TOOLS, ToolContext

FROZEN = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_ingestion_and_audit_are_stamped_by_the_injected_clock(tmp_path):
    settings = make_settings(tmp_path / "medic")
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    alert = Alert(name="WeirdThing", fingerprint="w-1")
    [ingested] = ingest(sessions, alert, clock=lambda: FROZEN)
    ingest(sessions, alert, clock=lambda: FROZEN + timedelta(minutes=5))
    with sessions() as session:
        found = incidents.detail(session, ingested.incident_id).model_dump()
        assert audit.verify(session).ok
    assert found["first_seen"].startswith("2030-01-02T03:04:05")
    assert found["last_seen"].startswith("2030-01-02T03:09:05")
    assert [e["at"][:19] for e in found["timeline"]] == ["2030-01-02T03:04:05",
                                                          "2030-01-02T03:09:05"]


def test_recent_incidents_look_back_from_the_tools_clock(tmp_path):
    settings = make_settings(tmp_path / "medic")
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    ingest(sessions, Alert(name="FeatureDrift", type="drift"), clock=lambda: FROZEN)

    def recent(now):
        context = ToolContext.build(settings, sessions=sessions, registry=None, notifier=None,
                                    clock=lambda: now)
        return TOOLS["recent_incidents"](context, {"hours": 24}).data["incidents"]

    assert [i["title"] for i in recent(FROZEN + timedelta(hours=1))] == ["FeatureDrift"]
    assert recent(FROZEN + timedelta(days=2)) == []
