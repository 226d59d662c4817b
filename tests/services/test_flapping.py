"""A flapping low-severity alert joins its recently closed incident instead of opening new ones."""

from sqlalchemy import func, select

from core.alerts import from_medic
from core.tables import AgentWork, Incident
from services import alerts, incidents
from services.context import open_medic
from tests.conftest import make_settings


def send(medic, name: str, severity: str, status: str = "firing"):
    [accepted] = alerts.submit_alerts(medic, from_medic({
        "name": name, "type": "system_error", "status": status,
        "labels": {"severity": severity}}), actor="tests").incidents
    return accepted


def test_low_severity_flaps_join_the_closed_incident_and_are_counted(tmp_path, clock):
    with open_medic(make_settings(tmp_path / "medic"), clock=clock) as medic:
        first = send(medic, "LatencyBlip", "info")
        send(medic, "LatencyBlip", "info", "resolved")  # closes it: the agent never ran
        for minutes in (10, 20):
            clock.advance(minutes=minutes)
            again = send(medic, "LatencyBlip", "info")
            assert again.incident_id == first.incident_id and not again.new
        shown = incidents.detail(medic, first.incident_id)
        assert shown.flaps == 2 and shown.state == "closed" and shown.alerts == 4
        assert [e.event for e in shown.timeline].count("alert_flapped") == 2
        with medic.sessions() as session:
            assert session.scalar(select(func.count()).select_from(AgentWork)) == 1

        clock.advance(hours=2)  # past the cooldown: a new incident, owed an agent run
        later = send(medic, "LatencyBlip", "info")
        assert later.new and later.incident_id != first.incident_id


def test_high_severity_and_a_zero_cooldown_open_new_incidents(tmp_path, clock):
    settings = make_settings(tmp_path / "medic")
    with open_medic(settings, clock=clock) as medic:
        send(medic, "ServingDown", "critical")
        send(medic, "ServingDown", "critical", "resolved")
        assert send(medic, "ServingDown", "critical").new
        settings.flap_cooldown_seconds = 0
        send(medic, "LatencyBlip", "info")
        send(medic, "LatencyBlip", "info", "resolved")
        assert send(medic, "LatencyBlip", "info").new
        with medic.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Incident)) == 4
