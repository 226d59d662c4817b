"""bike-demand, a regressor, through the whole loop: its own monitors notice the shifted
months, the agent plans a retrain with bike-demand's own context (spec, registry, budgets),
the gate judges in MAE on labelled rows the retrain did not learn from, and verify measures
the new champion on later hours neither version saw. heart-disease is never touched.

Real pieces: a home with both models trained (bike-demand on January to March 2011), the
prediction log, the monitors' checks, the agent with its gate and the approval service.
"""

import re
import shutil
import uuid
from datetime import timedelta

import pytest
import yaml
from sqlalchemy import insert, select

from agent_graph.runtime import settle
from core.tables import ActionRun, Approval, Feedback, Incident
from ml import data
from ml.serving.prediction_log import PredictionLog
from services.monitors import run as monitors
from tests.conftest import Driver, make_settings, principal_of
from tests.services.test_monitors_per_model import BIKE, LIGHT, bike_rows

pytestmark = pytest.mark.slow


@pytest.fixture
def scene(two_models_home, tmp_path, clock):
    """heart-disease (v2 champion) and bike-demand (v1, light recipe) on one home; the agent."""
    from agent_graph.runtime.runner import open_agent

    home = tmp_path / "medic"
    shutil.copytree(two_models_home[0], home)
    light = two_models_home[2]
    clock.advance(hours=1)  # the champion has served a while
    settings = make_settings(home, training_config=light)
    with open_agent(settings, clock=clock) as running:
        yield Driver(running, settings)


def log_hours(driver, frame, *, version: str, minutes: float = 50.0) -> None:
    """Log hours as bike-demand's version `version` served them, each with its count."""
    from services.watched import registry_of

    model = registry_of(driver.medic, "bike-demand").load(version)
    features = data.features(frame, BIKE)
    predicted = model.predict(features)
    now, ids = driver.medic.clock(), [uuid.uuid4().hex for _ in range(len(frame))]
    writer = PredictionLog(driver.sessions)
    for i, (rid, row, value) in enumerate(zip(ids, features.to_dict("records"), predicted,
                                              strict=True)):
        writer.add({"request_id": rid, "model": "bike-demand",
                    "features": {k: v for k, v in row.items() if v is not None and v == v},
                    "probability": float(value), "label": int(round(value)),
                    "model_version": version, "latency_ms": 3.0,
                    "created_at": now - timedelta(minutes=minutes * (1 - i / len(frame)))})
    writer.close()
    with driver.sessions.begin() as session:
        session.execute(insert(Feedback), [
            {"request_id": rid, "model": "bike-demand", "label": int(count)}
            for rid, count in zip(ids, frame["cnt"], strict=True)])


def retrain_on_may(agent, clock, registry, approver):
    """May's hours reach the January-March champion, labelled; monitors, agent, approval.

    Return the incident and the version the gate promoted.
    """
    first = registry.alias("champion")
    log_hours(agent, bike_rows("05"), version=first)
    for _ in range(2):  # data drift fires on its second breach
        monitors.run_checks(agent.medic, model="bike-demand")
        clock.advance(minutes=1)
    with agent.sessions() as session:
        [incident] = session.scalars(select(Incident)).all()
    assert incident.model == "bike-demand"
    [pending] = agent.pending()
    assert [a["tool"] for a in pending["actions"]] == ["retrain"]
    with agent.sessions() as session:
        assert session.get(Approval, pending["id"]).model == "bike-demand"
    agent.decide(pending["id"], principal=approver, approve=True)
    # bike-demand's own retrain: its reference plus May, judged in MAE on May's latest hours
    fixed_by = registry.alias("champion")
    assert fixed_by != first and registry.alias("previous") == first
    return incident, fixed_by


def verify_on_june(agent, clock, incident, first: str, fixed_by: str) -> None:
    """June, which neither version learnt from, is served by the new champion: verify."""
    clock.advance(hours=1)
    log_hours(agent, bike_rows("06").iloc[:300], version=fixed_by)
    clock.advance(hours=2)
    assert settle.sweep(agent.agent) == [incident.id]
    with agent.sessions() as session:
        done = session.get(Incident, incident.id)
    assert done.state == "resolved", done.outcome
    measured = re.match(rf"fixed: MAE (\d+\.\d) → (\d+\.\d) on (\d+) labelled predictions "
                        rf"\(v{first} → v{fixed_by}\)", done.outcome)
    assert measured, done.outcome
    # June hours count once each; one whose every feature equals a May hour it learnt is left out
    assert float(measured[2]) < float(measured[1]) - 5 and 290 <= int(measured[3]) <= 300


def test_bike_demand_as_the_default_model_heals_on_postgresql(tmp_path, clock, postgres_url):
    from agent_graph.runtime.runner import open_agent
    from ml.registry.aliases import open_registry
    from ml.training import train

    light = tmp_path / "light.yaml"
    light.write_text(yaml.safe_dump(LIGHT))
    settings = make_settings(tmp_path / "medic", default_model="bike-demand",
                             model_name="bike-demand", experiment="bike-demand",
                             training_config=light, database_url=postgres_url)
    train.run(settings, open_registry(settings))
    clock.advance(hours=1)
    with open_agent(settings, clock=clock) as running:
        agent = Driver(running, settings)
        registry = agent.context.tools.registry
        first = registry.alias("champion")
        approver = principal_of(agent.sessions, name="alice", role="approver")
        incident, fixed_by = retrain_on_may(agent, clock, registry, approver)
        verify_on_june(agent, clock, incident, first, fixed_by)


def test_shifted_bike_hours_are_healed_by_a_retrain_judged_and_verified_in_mae(
        scene, clock, monkeypatch):
    from services.watched import registry_of

    agent = scene
    registry = registry_of(agent.medic, "bike-demand")
    heart = agent.context.tools.registry
    heart_champion, first = heart.alias("champion"), registry.alias("champion")
    approver = principal_of(agent.sessions, name="alice", role="approver")

    incident, fixed_by = retrain_on_may(agent, clock, registry, approver)
    assert heart.alias("champion") == heart_champion  # the other model is untouched
    state = agent.state(incident.id)
    [result] = [r for r in state["results"] if r.tool == "retrain"]
    assert result.data["gate_verdict"] == "promoted", result.data
    assert result.data["gate_table"].splitlines()[0].split()[-2:] == ["challenger", "MAE"]
    with agent.sessions() as session:
        assert session.scalars(select(ActionRun.model)).all() == ["bike-demand"]

    # chat answers about the model a question names, in that model's metric
    for question in ("is bike-demand ok?", "how is bike doing?"):
        said = agent.ask(question).answer
        assert f"bike-demand v{fixed_by} serves" in said and "MAE" in said, said
        assert "F1" not in said
    assert "heart-disease v2 serves" in agent.ask("is the model ok?").answer
    which = agent.ask("which bike model is in production?").answer
    assert which.startswith(f"Version {fixed_by} (") and "of bike-demand" in which
    assert "held-out MAE" in which

    verify_on_june(agent, clock, incident, first, fixed_by)

    # a person moves bike-demand's aliases by hand, by name; heart-disease's stay
    from typer.testing import CliRunner

    from cli.main import app
    from core import keys

    with agent.sessions.begin() as session:
        admin = keys.create(session, name="ada", role="admin", actor="tests")
    monkeypatch.setenv("MEDIC_HOME", str(agent.medic.settings.home))
    back = CliRunner().invoke(app, ["models", "rollback", "--expected", fixed_by,
                                    "--model", "bike-demand", "--key", admin])
    assert back.exit_code == 0, back.output
    assert f"version {first} is champion (was {fixed_by})" in back.output
    assert registry.recorded_champion() == first and heart.recorded_champion() == heart_champion
    unknown = CliRunner().invoke(app, ["models", "promote", "2", "--expected", "1",
                                       "--model", "nope", "--key", admin])
    assert unknown.exit_code == 1 and "unknown model 'nope'" in unknown.output
