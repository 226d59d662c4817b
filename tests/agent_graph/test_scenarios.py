"""End-to-end scenarios on the real pipeline: MLflow on tmp, real training, SQLite."""

import os
import subprocess
import sys

import pytest
from sqlalchemy import select, text

from core import audit, incidents
from core.alert_sources.alertmanager import from_alertmanager
from core.alerts import Alert
from core.errors import PolicyError
from core.tables import ActionRun, Incident, Notification
from tests.conftest import HEART, PROJECT_ROOT, Driver, drift_alert


def runs(agent, tool=None):
    with agent.sessions() as session:
        query = select(ActionRun)
        if tool:
            query = query.where(ActionRun.tool == tool)
        return session.scalars(query).all()


def detail(agent, incident_id):
    with agent.sessions() as session:
        return incidents.detail(session, incident_id).model_dump()


def test_high_drift_waits_for_approval_then_retrains_once(agent, approver, clock):
    from ml.data import load_site
    from tests.conftest import DATA
    from tests.ml.conftest import log_traffic

    log_traffic(agent.sessions, load_site(DATA, "va", HEART), start=clock.now, version="2")
    ingested = agent.submit(drift_alert())
    waiting = detail(agent, ingested.incident_id)
    assert waiting["state"] == "awaiting_approval"
    assert waiting["severity_level"] == "high" and waiting["decided_by"] == "rules"
    assert [s["tool"] for s in waiting["plan"]] == ["retrain"]
    assert runs(agent) == []  # nothing risky ran before approval
    [pending] = agent.pending()
    assert "features drifted" in " ".join(pending["context"]["diagnosis"])

    agent.decide(pending["id"], principal=approver, approve=True, comment="go ahead")
    agent.decide(pending["id"], principal=approver, approve=True, comment="twice")

    [retrain] = runs(agent, "retrain")
    assert retrain.status == "success"
    assert retrain.result["data"]["decision"] in ("champion", "challenger")
    done = detail(agent, ingested.incident_id)
    assert retrain.result["data"]["training_set"]["composition"]["production"] == 139
    # a new champion, or one the gate cannot yet judge, is watched; a refused one did not help
    assert done["state"] in ("verifying", "escalated")
    assert done["plan"][0]["execution"] == "success"
    assert done["approvals"][0]["decided_by"] == "alice"
    events = [e["event"] for e in done["timeline"]]
    assert events.index("approval_approved") < events.index("action_started")
    with agent.sessions() as session:
        assert audit.verify(session).ok


def test_an_approved_plan_shows_remediating_until_it_has_run(agent, approver, monkeypatch):
    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()
    monkeypatch.setattr(agent.medic, "on_work", lambda: None)  # the worker has not woken yet

    decided = agent.decide(pending["id"], principal=approver, approve=True, comment="go")

    assert decided["status"] == "approved" and decided["incident_state"] == "remediating"
    assert detail(agent, ingested.incident_id)["state"] == "remediating"
    assert runs(agent) == []
    agent.worker.drain()
    assert len(runs(agent, "retrain")) == 1  # no traffic logged: it found no data to learn
    assert detail(agent, ingested.incident_id)["state"] not in ("awaiting_approval",
                                                                "remediating")


def test_reject_runs_nothing(agent, approver):
    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=False, comment="not now")
    assert runs(agent) == []
    done = detail(agent, ingested.incident_id)
    assert done["state"] == "rejected" and "nothing ran" in done["outcome"]


def test_only_an_approver_can_approve(agent):
    from core.errors import Forbidden
    from tests.conftest import principal_of

    operator = principal_of(agent.sessions, name="olga", role="operator")
    agent.submit(drift_alert())
    [pending] = agent.pending()
    with pytest.raises(Forbidden, match="needs approver, admin"):
        agent.decide(pending["id"], principal=operator, approve=True)
    assert agent.pending()[0]["status"] == "pending" and runs(agent) == []


def test_expired_approval_fails_closed_and_notifies(agent, approver, clock):
    ingested = agent.submit(drift_alert())
    clock.advance(minutes=61)
    [expired] = agent.expire()
    assert runs(agent) == []
    done = detail(agent, ingested.incident_id)
    assert done["state"] == "expired" and done["approvals"][0]["status"] == "expired"
    with agent.sessions() as session:
        subjects = session.scalars(select(Notification.subject)).all()
    assert any("expired" in s for s in subjects)
    with pytest.raises(PolicyError):
        agent.decide(expired, principal=approver, approve=True)
    assert runs(agent) == []


def test_champion_moved_after_approval_request_refuses(agent, approver):
    registry = agent.context.tools.registry
    alert = Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55},
                  labels={"severity": "critical"})
    ingested = agent.submit(alert)
    [pending] = agent.pending()
    assert pending["actions"][0]["tool"] == "rollback"
    registry.promote("1", expected="2", actor="someone else", reason="manual")
    agent.decide(pending["id"], principal=approver, approve=True)
    assert runs(agent) == []
    done = detail(agent, ingested.incident_id)
    assert done["state"] == "superseded"  # stale, not failed (tests/agent_graph/test_superseded)
    assert "made v1 champion (it replaced v2)" in done["outcome"]
    assert registry.alias("champion") == "1"


def test_performance_drop_rolls_back_to_a_healthy_previous(agent, approver):
    registry = agent.context.tools.registry
    agent.submit(Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55}))
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True)
    [rollback] = runs(agent, "rollback")
    assert rollback.status == "success" and rollback.effective is None  # not measured yet
    assert registry.alias("champion") == "1"
    found = detail(agent, rollback.incident_id)
    assert found["state"] == "verifying" and "v1 replaced v2" in found["outcome"]


def test_duplicate_alerts_join_one_incident(agent):
    first = agent.submit(drift_alert())
    again = [agent.submit(drift_alert()) for _ in range(3)]
    assert {i.incident_id for i in again} == {first.incident_id}
    assert not any(i.new for i in again)
    found = detail(agent, first.incident_id)
    assert found["alerts"] == 4 and len(agent.pending()) == 1


def test_low_severity_is_logged_only(agent):
    ingested = agent.submit(Alert(name="WeirdThing", labels={"severity": "info"}))
    found = detail(agent, ingested.incident_id)
    assert found["severity_level"] == "low" and found["plan"][0]["tool"] == "notify"
    assert (found["state"], found["verdict"]) == ("closed", "log_only")
    assert runs(agent) == [] and agent.pending() == []


def test_slight_drift_needs_no_remediation(agent):
    ingested = agent.submit(Alert(name="FeatureDrift", type="drift",
                                  values={"drift_share": 0.05}))
    found = detail(agent, ingested.incident_id)
    assert (found["state"], found["verdict"], found["plan"]) == ("resolved", "nothing_to_do", [])


def test_medium_severity_runs_safe_actions_on_its_own(agent):
    ingested = agent.submit(Alert(name="ServingErrors", type="system_error",
                                  values={"error_rate": 0.08}))
    found = detail(agent, ingested.incident_id)
    assert found["severity_level"] == "medium" and found["verdict"] == "run"
    [reload] = runs(agent, "reload_model")
    assert reload.status == "success" and reload.effective is None  # judged by measurement
    assert found["state"] == "verifying"


def test_high_severity_asks_even_for_safe_actions(agent):
    agent.submit(Alert(name="ServingErrors", type="system_error", values={"error_rate": 0.4}))
    [pending] = agent.pending()
    assert pending["actions"][0]["tool"] == "reload_model" and runs(agent) == []


def test_recommend_only_executes_nothing(trained, clock):
    from agent_graph.config import AgentConfig
    from agent_graph.runtime.runner import open_agent

    config = AgentConfig.load().model_copy(update={"recommend_only": True})
    with open_agent(trained[0], config=config, clock=clock) as running:
        agent = Driver(running, trained[0])
        ingested = agent.submit(drift_alert())
        found = detail(agent, ingested.incident_id)
        assert found["state"] == "recommended" and "retrain" in found["outcome"]
        assert agent.pending() == [] and runs(agent) == []


def test_rollback_budget_and_cooldown_escalate(agent, approver, clock):
    agent.submit(Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55}))
    agent.decide(agent.pending()[0]["id"], principal=approver, approve=True)
    agent.context.tools.registry.promote("2", expected="1", actor="t", reason="back")
    clock.advance(minutes=5)
    second = agent.submit(Alert(name="ModelF1Drop2", type="performance", values={"f1": 0.5}))
    found = detail(agent, second.incident_id)
    assert found["state"] == "escalated" and "ping-pong" in found["outcome"]
    assert len(runs(agent, "rollback")) == 1


def test_resolved_alertmanager_alert_closes_an_unhandled_incident(agent):
    def payload(status):
        return {"version": "4", "status": status, "alerts": [{
            "status": status, "labels": {"alertname": "WeirdThing"}, "annotations": {},
            "startsAt": "2026-11-26T10:00:00Z", "fingerprint": "weird-1"}]}

    from core.ingest import ingest

    [firing] = from_alertmanager(payload("firing"))
    [ingested] = ingest(agent.sessions, firing)  # stored; the agent has not run
    [resolved] = from_alertmanager(payload("resolved"))
    agent.submit(resolved)
    found = detail(agent, ingested.incident_id)
    assert found["state"] == "closed" and "resolved at its source" in found["outcome"]
    agent.worker.drain()  # the run it was owed finds a closed incident: nothing happens
    assert detail(agent, ingested.incident_id)["decided_by"] is None


def test_tampered_audit_row_is_found(agent):
    agent.submit(Alert(name="FeatureDrift", type="drift", values={"drift_share": 0.05}))
    with agent.sessions.begin() as session:
        with pytest.raises(Exception, match="append-only"):
            session.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 2"))
    with agent.sessions.begin() as session:  # an attacker with the file drops the guard
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 2"))
    with agent.sessions() as session:
        result = audit.verify(session)
    assert not result.ok and result.first_broken == 2


def _send_in_another_process(settings, alert_file, env_extra=None):
    env = {**os.environ, "MEDIC_HOME": str(settings.home), **(env_extra or {})}
    subprocess.run([sys.executable, "-m", "cli", "alert", "send", str(alert_file)],
                   cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, timeout=300)


def _resume_scenario(trained, tmp_path, clock, database_url=None):
    from agent_graph.runtime.runner import open_agent
    from tests.conftest import make_settings, principal_of

    settings = trained[0]
    extra = {}
    if database_url:
        settings = make_settings(settings.home, database_url=database_url)
        extra["MEDIC_DATABASE_URL"] = database_url
    alert_file = tmp_path / "alert.json"
    alert_file.write_text(Alert(name="ModelF1Drop", type="performance",
                                values={"f1": 0.55}).model_dump_json())
    _send_in_another_process(settings, alert_file, extra)  # that process exits here
    with open_agent(settings, clock=clock) as running:
        agent = Driver(running, settings)
        [pending] = agent.pending()
        alice = principal_of(agent.sessions, name="alice", role="approver")
        agent.decide(pending["id"], principal=alice, approve=True)
        found = detail(agent, pending["incident_id"])
        assert found["state"] == "verifying" and found["actions"][0]["tool"] == "rollback"
        assert agent.context.tools.registry.alias("champion") == "1"
        with agent.sessions() as session:
            assert audit.verify(session).ok


def test_resume_after_restart_from_another_process_sqlite(trained, tmp_path, clock):
    _resume_scenario(trained, tmp_path, clock)


@pytest.mark.postgres
def test_resume_after_restart_from_another_process_postgres(trained, tmp_path, clock,
                                                            postgres_url):
    _resume_scenario(trained, tmp_path, clock, database_url=postgres_url)


@pytest.mark.postgres
def test_postgres_refuses_update_and_delete_of_audit_rows(trained, clock, postgres_url):
    from agent_graph.runtime.runner import open_agent
    from tests.conftest import make_settings

    settings = make_settings(trained[0].home, database_url=postgres_url)
    with open_agent(settings, clock=clock) as running:
        agent = Driver(running, settings)
        agent.submit(Alert(name="FeatureDrift", type="drift", values={"drift_share": 0.05}))
        for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
            with pytest.raises(Exception, match="append-only"):
                with agent.sessions.begin() as session:
                    session.execute(text(statement))
        with agent.sessions() as session:
            assert audit.verify(session).ok


def test_another_models_incident_is_planned_with_its_own_tools_and_an_unknown_one_escalated(
        agent, approver):
    bike = agent.submit(Alert(name="MonitorPerformance", type="performance", source="monitor",
                              labels={"monitor": "performance", "model": "bike-demand"},
                              values={"mae": 120.0}))
    [pending] = agent.pending()
    assert pending["incident_id"] == bike.incident_id
    assert [a["tool"] for a in pending["actions"]] == ["retrain"]
    # bike-demand has no champion in this home: its own trainer says so, nothing of
    # heart-disease's is retrained, and the run is counted against bike-demand
    agent.decide(pending["id"], principal=approver, approve=True)
    [run] = runs(agent)
    assert (run.tool, run.model) == ("retrain", "bike-demand")
    assert "no champion to improve on" in detail(agent, bike.incident_id)["outcome"]
    assert agent.context.tools.registry.alias("champion") == "2"

    nope = agent.submit(Alert(name="MonitorPerformance", type="performance", source="monitor",
                              labels={"monitor": "performance", "model": "nope"},
                              values={"mae": 120.0}))
    found = detail(agent, nope.incident_id)
    assert found["state"] == "escalated" and len(runs(agent)) == 1
    assert "about nope" in found["outcome"] and "heart-disease only" in found["outcome"]
    with agent.sessions() as session:
        models = dict(session.execute(select(Incident.id, Incident.model)).all())
    assert models == {bike.incident_id: "bike-demand", nope.incident_id: "nope"}
