"""Which incident a team's new version answers, and where the rows that judge it start —
read the same on SQLite and PostgreSQL."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from agent_graph.runtime.external_versions import _judge_since, _waiting_incident
from core.audit_seal import Seal
from core.clock import utcnow
from core.db import connect
from core.tables import ActionRun, ExternalVersion, Incident
from tests.conftest import make_settings


@pytest.fixture(params=["sqlite", "postgresql"])
def context(request, tmp_path):
    """An agent context as the look reads it: the app database, the retrain window (1 day)."""
    settings = make_settings(tmp_path / "medic")
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" \
        else settings.database_url
    return SimpleNamespace(sessions=connect(url, seal=Seal.of(settings)),
                           tools=SimpleNamespace(heal=SimpleNamespace(window_minutes=1440)))


def _incident(context, model: str, state: str, retrain: str, at) -> int:
    """An incident whose retrain ended `retrain` (requested: hook sent) a second after `at`."""
    with context.sessions.begin() as session:
        incident = Incident(model=model, fingerprint=f"{model}-f1", title="F1 drop",
                            alert_type="performance", state=state, alert={})
        session.add(incident)
        session.flush()
        session.add(ActionRun(key=f"k{incident.id}", incident_id=incident.id, model=model,
                              tool="retrain", args={}, status="success", started_at=at,
                              finished_at=at + timedelta(seconds=1),
                              result={"status": "success", "data": {"status": retrain}}))
        return incident.id


def test_a_version_answers_the_newest_request_sent_before_it_until_one_is_not_refused(context):
    now = utcnow()
    asked = _incident(context, "churn", "escalated", "requested", now - timedelta(hours=3))
    _incident(context, "churn", "escalated", "not_requested", now - timedelta(hours=2))
    _incident(context, "other", "escalated", "requested", now - timedelta(hours=1))
    _incident(context, "churn", "resolved", "requested", now - timedelta(minutes=30))

    assert _waiting_incident(context, "churn", now) == asked
    assert _waiting_incident(context, "churn", now - timedelta(hours=4)) is None  # older
    assert _judge_since(context, SimpleNamespace(name="churn"), asked, now) == \
        now - timedelta(minutes=30) + timedelta(seconds=1)  # the last export's end
    assert _judge_since(context, SimpleNamespace(name="quiet"), None, now) == \
        now - timedelta(days=1)  # never asked: the retrain window

    with context.sessions.begin() as session:
        session.add(ExternalVersion(model="churn", version="2", status="refused",
                                    incident_id=asked, seen_at=now))
    assert _waiting_incident(context, "churn", now) == asked  # a refused one: still waiting
    with context.sessions.begin() as session:
        session.add(ExternalVersion(model="churn", version="3", status="promoted",
                                    incident_id=asked, seen_at=now))
    assert _waiting_incident(context, "churn", now) is None  # answered
