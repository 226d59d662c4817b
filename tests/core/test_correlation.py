"""Two monitors that fire on the same model and traffic open one incident, not two."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from core import audit, incidents
from core.alerts import Alert
from core.audit_seal import Seal
from core.db import connect
from core.ingest import ingest
from core.tables import Incident
from tests.conftest import make_settings

FROZEN = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def monitor_alert(monitor: str, kind: str, window: int, *, model: str = "heart-disease",
                  status: str = "firing") -> Alert:
    """An alert as `services.monitors.run` raises it (see MonitorResult.to_alert)."""
    return Alert(source="monitor", type=kind, status=status,
                 name="Monitor" + "".join(p.title() for p in monitor.split("_")),
                 labels={"monitor": monitor, "kind": monitor, "severity": "high",
                         "model": model},
                 evidence={"window_minutes": window})


def sessions_in(tmp_path):
    settings = make_settings(tmp_path / "medic")
    return connect(settings.database_url, seal=Seal.of(settings))


def test_performance_and_drift_on_the_same_window_are_one_incident(tmp_path):
    sessions = sessions_in(tmp_path)
    now = FROZEN
    [performance] = ingest(sessions, monitor_alert("performance", "performance", 1440),
                           clock=lambda: now)
    now = FROZEN + timedelta(seconds=106)  # the drift monitor noticed 106 s later
    [drift] = ingest(sessions, monitor_alert("data_drift", "drift", 60), clock=lambda: now)
    [other_model] = ingest(sessions, monitor_alert("data_drift", "drift", 60,
                                                   model="churn"), clock=lambda: now)

    assert performance.created and not drift.created
    assert drift.incident_id == performance.incident_id
    assert not drift.needs_handling  # no second agent run, so no second retrain approval
    assert other_model.created and other_model.incident_id != performance.incident_id
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 2
        detail = incidents.detail(session, performance.incident_id).model_dump()
        assert audit.verify(session).ok
    assert detail["alerts"] == 2
    assert [a["name"] for a in detail["alert_list"]] == ["MonitorPerformance",
                                                         "MonitorDataDrift"]
    events = [e["event"] for e in detail["timeline"]]
    assert events == ["alert_received", "alert_correlated"]

    # the drift monitor resolving later finds the incident it joined (and does not close it)
    now = FROZEN + timedelta(minutes=30)
    [resolved] = ingest(sessions, monitor_alert("data_drift", "drift", 60, status="resolved"),
                        clock=lambda: now)
    assert resolved.incident_id == performance.incident_id
    with sessions() as session:
        detail = incidents.detail(session, performance.incident_id).model_dump()
    assert detail["state"] == "open"
    assert [a["status"] for a in detail["alert_list"]] == ["firing", "resolved"]


def test_an_alert_outside_the_window_opens_its_own_incident(tmp_path):
    sessions = sessions_in(tmp_path)
    [first] = ingest(sessions, monitor_alert("performance", "performance", 1440),
                     clock=lambda: FROZEN)
    later = FROZEN + timedelta(minutes=61)  # the drift window (60 min) no longer covers it
    [drift] = ingest(sessions, monitor_alert("data_drift", "drift", 60), clock=lambda: later)
    assert drift.created and drift.incident_id != first.incident_id
