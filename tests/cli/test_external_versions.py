"""A team's new version of a model trained elsewhere: noticed, judged by the gate, promoted
or refused, and tied to the incident whose retrain it answers — then verified live."""

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.main import app
from core.tables import AuditEntry, ExternalVersion, Incident, Notification
from tests.api.conftest import api_settings
from tests.external_model import FEATURES, churn_data, draft, logged_elsewhere
from tests.processes import wait_for

runner = CliRunner()


def _medic(*args: str):
    return runner.invoke(app, list(args))


def _traffic(client, frame: pd.DataFrame, version: str) -> None:
    """Predict the rows with churn (as `version`), then feed back each row's true label."""
    rows = frame[FEATURES].to_dict("records")
    answered = client.post("/v1/models/churn/predict/batch", json={"rows": rows})
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["version"] == version
    for n, label in enumerate(frame["churned"]):
        stored = client.post("/v1/models/churn/feedback",
                             json={"request_id": f"{body['request_id']}-{n}", "label": int(label)})
        assert stored.status_code == 201, stored.text
    client.app.state.root.predictions.flush_now()


def _count(session, event: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)
                          .where(AuditEntry.event == event))


def _judged(agent, settings) -> dict:
    from agent_graph.runtime import external_versions

    return external_versions.check(agent, settings)


@pytest.mark.slow
def test_a_new_version_answers_the_retrain_request_is_gated_promoted_verified_then_a_worse_one_refused(  # noqa: E501
        external_home, tmp_path, receiver):
    from agent_graph.runtime import settle
    from agent_graph.runtime.runner import open_agent
    from ml.registry.aliases import open_registry
    from services import alerts
    from tests.conftest import Driver, principal_of

    settings, keys = external_home
    frame, spec_file = draft(_medic, tmp_path, receiver)
    logged_elsewhere(settings, frame, "team-churn", numbers=("spend",))  # a weak v1
    added = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model", "team-churn",
                   "--key", keys["admin"])
    assert added.exit_code == 0, added.output
    registry = open_registry(settings).named("team-churn")

    served = api_settings(settings.home, ingest_process=False, models_dir=settings.models_dir,
                          run_worker=False)  # the test runs the checks itself
    from api.app import create_app

    with open_agent(settings) as running, TestClient(create_app(served)) as client:
        client.headers.update({"X-API-Key": keys["predictor"]})
        churn = client.app.state.root.served("churn").serving
        agent = Driver(running, settings)
        assert _judged(running, settings) == {}  # nothing newer than v1: one MLflow look

        # churn's F1 drops: the agent plans a retrain; approved, it asks the team's pipeline
        alerts.submit(agent.medic, {"name": "ChurnF1Drop", "type": "performance",
                                    "values": {"f1": 0.5}, "labels": {"model": "churn"}})
        [pending] = agent.pending()
        assert [a["tool"] for a in pending["actions"]] == ["retrain"]
        agent.decide(pending["id"], approve=True,
                     principal=principal_of(agent.sessions, name="alice", role="approver"))
        with agent.sessions() as session:
            incident = session.scalars(select(Incident)).one()
        assert incident.state == "escalated" and "own pipeline (hook sent" in incident.outcome

        # live traffic after the request, labelled; the team registers a broken v2 first
        wait_for(lambda: churn.current is not None, timeout=60, what="churn loaded")
        _traffic(client, churn_data(rows=80, seed=21), "1")
        logged_elsewhere(settings, frame, "team-churn", flipped=True)
        assert _judged(running, settings) == {"churn": "refused"}
        assert registry.recorded_champion() == "1"
        with agent.sessions() as session:
            refused = session.get(ExternalVersion, ("churn", "2"))
            still = session.get(Incident, incident.id)
            entries = session.scalar(select(func.count()).select_from(AuditEntry))
            subjects = session.scalars(select(Notification.subject)).all()
        assert (refused.status, refused.champion, refused.rows, refused.incident_id) == \
            ("refused", "1", 80, incident.id)
        assert refused.reason.startswith("refused: worse on recent production (production ")
        assert still.state == "escalated"
        assert "v2, registered by churn's own pipeline, was refused by the gate against " \
            "champion v1 on 80 labelled live rows: worse on recent production" in still.outcome
        assert "churn: MLflow version 2 of team-churn refused by the promotion gate" in subjects
        assert _judged(running, settings) == {}  # never judged twice
        with agent.sessions() as session:
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries

        # then a good v3 (all columns): it answers the same request
        logged_elsewhere(settings, frame, "team-churn")
        assert _judged(running, settings) == {"churn": "promoted"}
        assert registry.recorded_champion() == "3"
        with agent.sessions() as session:
            tied = session.get(Incident, incident.id)
            judged = session.get(ExternalVersion, ("churn", "3"))
            told = session.scalars(select(Notification.subject)
                                   .where(Notification.incident_id == incident.id)).all()
        assert tied.state == "verifying", tied.outcome
        assert "verifying: v3, registered by churn's own pipeline, replaced v1 — the " \
            "promotion gate passed it on 80 labelled live rows" in tied.outcome
        assert (judged.status, judged.champion, judged.rows, judged.incident_id) == \
            ("promoted", "1", 80, incident.id)
        assert "churn: MLflow version 3 promoted by the gate" in told
        history = registry.history()[-1]
        assert (history.version, history.replaced, history.actor) == ("3", "1", "medic")

        # verify measures v3 on later live traffic, as for a Medic-trained champion
        wait_for(lambda: churn.current is not None and churn.current.version == "3",
                 timeout=60, what="v3 served")
        assert settle.sweep(running) == []  # no labelled predictions by v3 yet: waiting
        _traffic(client, churn_data(rows=80, seed=22), "3")
        assert settle.sweep(running) == [incident.id]
        with agent.sessions() as session:
            done = session.get(Incident, incident.id)
        assert done.state == "resolved", done.outcome
        assert done.outcome.startswith("fixed: F1 ") and "(v1 → v3)" in done.outcome


@pytest.mark.slow
def test_a_version_no_retrain_asked_for_collects_rows_then_waits_for_an_approver(
        external_home, tmp_path, receiver):
    from agent_graph.runtime.runner import open_agent
    from ml.registry.aliases import open_registry
    from services import approvals
    from tests.conftest import Driver, principal_of

    settings, keys = external_home
    frame, spec_file = draft(_medic, tmp_path, receiver)
    logged_elsewhere(settings, frame, "team-churn", numbers=("spend",))
    added = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model", "team-churn",
                   "--key", keys["admin"])
    assert added.exit_code == 0, added.output
    registry = open_registry(settings).named("team-churn")
    served = api_settings(settings.home, ingest_process=False, models_dir=settings.models_dir,
                          run_worker=False)  # the test runs the checks itself
    from api.app import create_app

    with open_agent(settings) as running, TestClient(create_app(served)) as client:
        client.headers.update({"X-API-Key": keys["predictor"]})
        churn = client.app.state.root.served("churn").serving
        agent = Driver(running, settings)
        wait_for(lambda: churn.current is not None, timeout=60, what="churn loaded")
        logged_elsewhere(settings, frame, "team-churn")  # the team's pipeline, on its own
        assert _judged(running, settings) == {"churn": "collecting"}  # no labels yet
        with agent.sessions() as session:
            waiting = session.get(ExternalVersion, ("churn", "2"))
            judgements = _count(session, "external_version_judged")
        assert waiting.status == "collecting" and waiting.reason.startswith(
            "undecided: collecting rows — 0 labelled production rows to judge on since ")
        assert _judged(running, settings) == {"churn": "collecting"}
        with agent.sessions() as session:  # no new label: not judged again
            assert _count(session, "external_version_judged") == judgements == 1

        _traffic(client, churn_data(rows=80, seed=21), "1")
        assert _judged(running, settings) == {"churn": "approval"}
        assert registry.recorded_champion() == "1"  # a person approves first
        [pending] = agent.pending()
        assert [(a["tool"], a["args"]) for a in pending["actions"]] == \
            [("promote", {"version": "2", "expected_champion": "1"})]
        with agent.sessions() as session:
            first = session.get(Incident, pending["incident_id"])
        assert (first.model, first.state) == ("churn", "awaiting_approval")
        assert "awaiting approval: v2, registered by churn's own pipeline, passed the " \
            "promotion gate against champion v1 on 80 labelled live rows" in first.outcome
        assert _judged(running, settings) == {}  # waiting for the person

        approver = principal_of(agent.sessions, name="bob", role="approver")
        approvals.decide(agent.medic, pending["id"], approve=False, principal=approver,
                         comment="not before the release")
        assert _judged(running, settings) == {"churn": "rejected"}
        with agent.sessions() as session:
            first = session.get(Incident, first.id)
            assert session.get(ExternalVersion, ("churn", "2")).status == "rejected"
        assert registry.recorded_champion() == "1" and first.state == "rejected"
        assert "v2 was not promoted: its approval" in first.outcome
        assert "(bob: not before the release); v1 still serves" in first.outcome

        logged_elsewhere(settings, frame, "team-churn")  # registered again, after the release
        assert _judged(running, settings) == {"churn": "approval"}
        [pending] = agent.pending()
        with agent.sessions() as session:
            incident = session.get(Incident, pending["incident_id"])
        assert incident.id != first.id and incident.state == "awaiting_approval"
        decided = approvals.decide(agent.medic, pending["id"], approve=True, principal=approver)
        assert decided.incident_state == "remediating"  # approved: the promotion runs next
        assert _judged(running, settings) == {"churn": "promoted"}
        assert registry.recorded_champion() == "3"
        with agent.sessions() as session:
            moved = session.get(Incident, incident.id)
            judged = session.get(ExternalVersion, ("churn", "3"))
        assert moved.state == "verifying" and "approved by bob" in moved.outcome, moved.outcome
        assert (judged.status, judged.approval_id) == ("promoted", pending["id"])
        assert running.state(incident.id)["watch"]["after"] == "3"  # the sweep measures it
        from services import incidents

        shown = incidents.detail(agent.medic, incident.id)
        assert [(s.tool, s.execution) for s in shown.plan] == [("promote", "success")]
        assert [a.status for a in shown.approvals] == ["approved"]
        assert {"approval_requested", "external_version_promoted", "incident_verifying"} <= \
            {e.event for e in shown.timeline}
