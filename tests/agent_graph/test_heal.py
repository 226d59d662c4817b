"""The agent heals on measured live traffic: no fit without labels, verify measures, reverts."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from agent_graph.runtime import settle
from core import audit, incidents
from core.alerts import Alert
from core.tables import ActionRun, Notification
from tests.conftest import HEART, drift_alert
from tests.ml.conftest import log_traffic
from tests.ml.test_outcome import register_broken


@pytest.fixture
def site():
    from core.settings import PROJECT_ROOT
    from ml.data import load_site

    return lambda name: load_site(PROJECT_ROOT / "data" / "raw", name, HEART)


def detail(agent, incident_id):
    with agent.sessions() as session:
        return incidents.detail(session, incident_id).model_dump()


def runs(agent, tool):
    with agent.sessions() as session:
        return session.scalars(select(ActionRun).where(ActionRun.tool == tool)).all()


def healthy_on_paper(settings, registry) -> str:
    """Register a broken model whose run claims a good held-out F1 (as a stale record might)."""
    import mlflow

    version = register_broken(settings, registry)
    run_id = registry.version(version).run_id
    mlflow.MlflowClient().log_metric(run_id, "test_f1", 0.9)
    return version


def test_drift_without_labels_escalates_instead_of_fitting(agent, approver):
    registry = agent.context.tools.registry
    versions = len(registry.versions())
    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()

    agent.decide(pending["id"], principal=approver, approve=True)

    [retrain] = runs(agent, "retrain")
    assert retrain.status == "no_data"
    assert len(registry.versions()) == versions  # nothing was fitted
    done = detail(agent, ingested.incident_id)
    assert done["state"] == "escalated"
    assert "drift without labels" in done["outcome"]
    assert "collect feedback, or approve a rollback" in done["outcome"]


def test_a_rollback_that_hurt_is_measured_and_reverted(agent, approver, clock, site):
    settings, registry = agent.medic.settings, agent.context.tools.registry
    broken = healthy_on_paper(settings, registry)
    registry.promote(broken, expected="2", actor="test", reason="setup")
    registry.promote("2", expected=broken, actor="test", reason="setup: broken is previous")
    ingested = agent.submit(Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55}))
    [pending] = agent.pending()
    assert pending["actions"][0]["tool"] == "rollback"
    agent.decide(pending["id"], principal=approver, approve=True)
    assert registry.alias("champion") == broken
    assert detail(agent, ingested.incident_id)["state"] == "verifying"
    assert settle.sweep(agent.agent) == []  # no labels yet: still verifying

    log_traffic(agent.sessions, site("hungarian").sample(80, random_state=0),
                start=clock.now + timedelta(minutes=1), version=broken,
                model=registry.load(broken))
    clock.advance(hours=3)
    assert settle.sweep(agent.agent) == [ingested.incident_id]

    done = detail(agent, ingested.incident_id)
    assert done["state"] == "failed"
    assert done["outcome"].startswith("regressed: F1 ")
    assert f"on 80 labelled predictions (v2 → v{broken})" in done["outcome"]
    assert done["outcome"].endswith("reverted automatically to v2")
    assert registry.alias("champion") == "2"
    [rollback] = runs(agent, "rollback")
    assert rollback.effective is False
    events = [e["event"] for e in done["timeline"]]
    assert "auto_revert" in events and events[-1] == "incident_closed"
    with agent.sessions() as session:
        assert audit.verify(session).ok
        subjects = session.scalars(select(Notification.subject)).all()
    assert f"Medic incident {ingested.incident_id}: failed — the new model was worse" in subjects
    assert settle.sweep(agent.agent) == []  # settled once


def test_a_rollback_that_helped_is_fixed_with_the_measured_numbers(agent, approver, clock,
                                                                     site):
    settings, registry = agent.medic.settings, agent.context.tools.registry
    broken = register_broken(settings, registry)
    registry.promote(broken, expected="2", actor="test", reason="a bad release")
    ingested = agent.submit(Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55}))
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True)
    assert registry.alias("champion") == "2"

    log_traffic(agent.sessions, site("hungarian").sample(80, random_state=0),
                start=clock.now + timedelta(minutes=1), version="2", model=registry.load("2"))
    clock.advance(hours=3)
    settle.sweep(agent.agent)

    done = detail(agent, ingested.incident_id)
    assert done["state"] == "resolved"
    assert done["outcome"].startswith("fixed: F1 0.")
    assert done["outcome"].endswith(f"on 80 labelled predictions (v{broken} → v2)")
    [rollback] = runs(agent, "rollback")
    assert rollback.effective is True
    assert registry.alias("champion") == "2"


def unlabelled_file(settings, frame, name):
    folder = settings.evidence_dir
    folder.mkdir(exist_ok=True)
    path = folder / name
    frame.drop(columns=["num", "target"]).to_csv(path, index=False)
    return str(path)


def test_drift_that_costs_no_estimated_f1_is_watched_not_retrained(agent, site):
    settings = agent.medic.settings
    cleveland = site("cleveland")
    older_men = cleveland[(cleveland["sex"] == 1) & (cleveland["age"] >= 58)]
    ingested = agent.submit(drift_alert(evidence={
        "data_path": unlabelled_file(settings, older_men, "older-men.csv")}))

    found = detail(agent, ingested.incident_id)
    [drift] = [f["message"] for f in found["diagnosis"] if f["tool"] == "drift_report"]
    assert "(estimate, 78 rows)" in drift
    assert [s["tool"] for s in found["plan"]] == ["notify"]
    assert runs(agent, "retrain") == []


def test_drift_with_an_estimated_f1_loss_plans_a_retrain(agent, site):
    settings = agent.medic.settings
    ingested = agent.submit(drift_alert(evidence={
        "data_path": unlabelled_file(settings, site("va"), "va-unlabelled.csv")}))

    found = detail(agent, ingested.incident_id)
    assert [s["tool"] for s in found["plan"]] == ["retrain"]
    assert found["state"] == "awaiting_approval"


def test_a_retrain_the_gate_cannot_yet_judge_collects_rows_and_is_judged_again(
        agent, approver, clock, site):
    registry = agent.context.tools.registry
    champion = registry.alias("champion")
    model = registry.load(champion)
    arrivals = site("va").sample(frac=1, random_state=7)
    early, later = arrivals.iloc[:90], arrivals.iloc[90:]
    log_traffic(agent.sessions, early, start=clock.now - timedelta(minutes=len(early)),
                version=champion, model=model, prefix="early",
                label_delay=timedelta(minutes=len(early)))  # 27 judge: too few for an interval
    ingested = agent.submit(drift_alert(evidence={"window_minutes": 24 * 60}))
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True)

    found = detail(agent, ingested.incident_id)
    challenger = registry.alias("challenger")
    assert found["state"] == "verifying"  # not escalated: it was never judged
    assert found["outcome"].startswith(f"undecided: collecting rows — v{challenger} stays "
                                       f"challenger, judged against v{champion} again")
    assert "did not help" not in found["outcome"]
    [retrain] = runs(agent, "retrain")
    assert retrain.effective is None
    assert settle.sweep(agent.agent) == []  # no new labels: still collecting
    assert registry.alias("champion") == champion

    log_traffic(agent.sessions, later, start=clock.now + timedelta(minutes=1),
                version=champion, model=model, prefix="later")  # later patients, labelled
    clock.advance(hours=3)
    assert settle.sweep(agent.agent) == []  # judged again: promoted, now verifying the move

    assert registry.alias("champion") == challenger
    found = detail(agent, ingested.incident_id)
    assert found["state"] == "verifying"
    # 27 + 110 later rows, less VA's one repeated case
    assert found["outcome"].startswith(f"verifying: v{challenger} replaced v{champion} — the "
                                       "gate judged it again on 136 labelled rows and promoted "
                                       "it (production F1 ")
    assert "90% interval" in found["outcome"]
    judged = [e for e in found["timeline"] if e["event"] == "gate_judged_again"]
    assert [e["data"]["verdict"] for e in judged] == ["undecided", "promoted"]

    log_traffic(agent.sessions, later, start=clock.now + timedelta(minutes=1),
                version=challenger, model=registry.load(challenger), prefix="after")
    clock.advance(hours=3)
    assert settle.sweep(agent.agent) == [ingested.incident_id]
    done = detail(agent, ingested.incident_id)
    assert done["state"] == "resolved" and done["outcome"].startswith("fixed: F1 ")
    assert runs(agent, "retrain")[0].effective is True
