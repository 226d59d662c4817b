"""An alert source is one declaration: a toy source registered here is read where alerts arrive."""

import pytest
from sqlalchemy import select

from core.alert_source import AlertSource
from core.alert_sources import SOURCES
from core.alerts import Alert
from core.errors import AlertError
from core.tables import Incident
from services import alerts
from services.context import open_medic

UPTIME = {"check": "predict-endpoint", "state": "down", "response_ms": 2300}


def _uptime(payload) -> list[Alert]:
    """The toy source: an uptime checker's one-check report."""
    return [Alert(source="uptime", type="system_error", name=f"Uptime {payload['check']}",
                  status="resolved" if payload["state"] == "up" else "firing",
                  labels={"check": payload["check"]},
                  values={"latency_p99": float(payload["response_ms"])})]


TOY = AlertSource(name="uptime", parse=_uptime,
                  recognises=lambda payload: isinstance(payload, dict) and "check" in payload)


@pytest.fixture
def medic(settings):
    with open_medic(settings) as opened:
        yield opened


def test_an_unregistered_payload_is_read_as_medics_own_and_refused(medic):
    with pytest.raises(AlertError, match="name"):
        alerts.submit(medic, UPTIME)


def test_a_registered_toy_source_opens_and_resolves_its_incident(medic, monkeypatch):
    monkeypatch.setitem(SOURCES, TOY.name, TOY)  # its line in SOURCES
    [opened] = alerts.submit(medic, UPTIME).incidents  # format "any": as `medic alert send`
    [again] = alerts.submit(medic, {**UPTIME, "state": "up"}, format="uptime").incidents
    assert opened.new and again.incident_id == opened.incident_id
    with medic.sessions() as session:
        incident = session.scalars(select(Incident)).one()
    assert incident.alert["source"] == "uptime"
    assert incident.alert["values"] == {"latency_p99": 2300.0}
    with pytest.raises(AlertError, match="unknown alert format 'pingdom'.*uptime"):
        alerts.submit(medic, UPTIME, format="pingdom")
