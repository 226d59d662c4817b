"""Prometheus and Alertmanager with deploy/'s configs: a rule on Medic's gauge fires, resolves."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.clock import utcnow
from core.tables import AlertRecord, Approval, Incident
from tests.conftest import make_settings
from tests.deploy.monitoring import start_monitoring, wait_until_scraped
from tests.processes import free_port, in_thread, wait_for

pytestmark = pytest.mark.slow

TOKEN, SECRET = "token-8d2e6b1f4a9c7035e1b8d6a2f4", "webhook-3f9c1a7e5b2d80461c9e7a5f"
RULE = "MedicApprovalsWaiting"


@pytest.fixture
def medic_api(tmp_path):
    """Medic's API under uvicorn in a thread on a free port, with a viewer key for Prometheus."""
    import uvicorn

    from api.app import create_app
    from core import keys
    from core.audit_seal import Seal
    from core.db import connect

    settings = make_settings(tmp_path / "medic", alertmanager_token=TOKEN,
                             webhook_secret=SECRET, worker_poll_seconds=0.5)
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    with sessions.begin() as session:
        viewer = keys.create(session, name="prometheus", role="viewer", actor="tests")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    with in_thread(server):
        yield port, viewer, sessions


def alertmanager_records(sessions) -> list[tuple[int, str]]:
    with sessions() as session:
        return [(incident_id, status) for incident_id, status, payload in session.execute(
            select(AlertRecord.incident_id, AlertRecord.status, AlertRecord.payload)
            .order_by(AlertRecord.id)) if payload.get("name") == RULE]


def test_a_rule_on_medics_gauge_reaches_medic_as_an_incident_and_resolves(
        medic_api, processes):
    api_port, viewer, sessions = medic_api
    monitoring = start_monitoring(processes, api_ports=[api_port], viewer_key=viewer,
                                  alertmanager_token=TOKEN, alerts=(RULE,))
    logs = processes.logs
    wait_until_scraped(monitoring, processes, targets=1)
    with sessions.begin() as session:  # a person has not decided yet: the gauge becomes 1
        incident = Incident(fingerprint="waiting", title="drift", alert_type="drift",
                            state="awaiting_approval", alert={}, handled=True)
        session.add(incident)
        session.flush()
        session.add(Approval(incident_id=incident.id, digest="d" * 64, actions=[],
                             context={}, expires_at=utcnow() + timedelta(hours=1)))

    [(incident_id, status)] = wait_for(lambda: alertmanager_records(sessions), timeout=30,
                                       what=f"{RULE} to reach Medic", logs=logs)
    assert status == "firing"
    with sessions() as session:
        opened = session.get(Incident, incident_id)
        assert opened.title and opened.alert["source"] == "alertmanager"
        assert opened.alert["labels"]["severity"] == "warning"

    with sessions.begin() as session:  # decided: the gauge drops to 0
        session.execute(update(Approval).values(status="rejected"))
    records = wait_for(lambda: [r for r in alertmanager_records(sessions)
                                if r[1] == "resolved"], timeout=30,
                       what=f"{RULE} to resolve in Medic", logs=logs)
    assert records[0][0] == incident_id
