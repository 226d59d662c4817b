"""Bring your own model: a pipeline trained and registered outside Medic, added, served,
logged, monitored, and its retrain asked of its own pipeline through a signed hook."""

import hashlib
import hmac
import json
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from core.tables import Incident, Prediction
from tests.api.conftest import api_settings, role_keys
from tests.conftest import PROJECT_ROOT, make_settings
from tests.processes import wait_for
from tests.receiver import Receiver, receiving

runner = CliRunner()
SECRET = "team-hook-secret"
PLANS = ("basic", "plus", "pro")
ROWS = [{"tenure": 3.0, "spend": 80.0, "plan": "basic"},
        {"tenure": 40.0, "spend": 20.0, "plan": "pro"},
        {"tenure": 12.0, "spend": 55.0, "plan": "plus"},
        {"tenure": 1.0, "spend": 95.0, "plan": "basic"}]


def _data(path) -> pd.DataFrame:
    """Write 400 customers: tenure, spend, a plan by name; churn likelier when new and paying."""
    rng = np.random.default_rng(11)
    rows = 400
    frame = pd.DataFrame({"tenure": rng.integers(1, 60, rows).astype(float),
                          "spend": rng.normal(50, 20, rows).round(1).clip(5, 120),
                          "plan": rng.choice(PLANS, rows)})
    level = frame["plan"].map({plan: n for n, plan in enumerate(PLANS, 1)})
    odds = 0.06 * frame["spend"] - 0.08 * frame["tenure"] - 0.4 * level - 0.5
    frame["churned"] = (odds + rng.normal(0, 1, rows) > 0).astype(int)
    frame.to_csv(path, index=False)
    return frame


def _logged_elsewhere(settings, frame: pd.DataFrame, registered: str):
    """Fit a plain scikit-learn pipeline (steps Medic never names) and register it in MLflow.

    Logged as MLflow logs by default (skops), in the team's own experiment and artifacts.
    """
    import mlflow
    import mlflow.sklearn
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from ml.registry import tracking

    pipeline = Pipeline([
        ("columns", ColumnTransformer([("scaled", StandardScaler(), ["tenure", "spend"]),
                                       ("plans", OneHotEncoder(handle_unknown="ignore"),
                                        ["plan"])])),
        ("clf", LogisticRegression(max_iter=500)),
    ]).fit(frame[["tenure", "spend", "plan"]], frame["churned"])
    tracking.configure(settings)
    experiment = mlflow.create_experiment("team-churn", artifact_location=(
        settings.home.parent / "team-artifacts").as_uri())  # the team's own experiment
    with mlflow.start_run(experiment_id=experiment):
        logged = mlflow.sklearn.log_model(pipeline, name="model",
                                          pip_requirements=["scikit-learn"])
    mlflow.register_model(logged.model_uri, registered)
    return pipeline


@pytest.fixture
def receiver():
    with receiving() as url:
        yield url


@pytest.fixture
def home(trained, tmp_path, monkeypatch):
    """The trained heart-disease home, its models folder its own, the CLI pointed at it."""
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(PROJECT_ROOT / "configs" / "models" / "heart-disease.yaml", models)
    settings = make_settings(trained[0].home, models_dir=models)
    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    monkeypatch.setenv("MEDIC_MODELS_DIR", str(models))
    monkeypatch.setenv("CHURN_HOOK_SECRET", SECRET)
    return settings, role_keys(settings)


def _medic(*args: str):
    return runner.invoke(app, list(args))


def _draft(tmp_path, hook_url: str):
    """Draft the spec from the data with `medic models init-spec`; the team adds its hook."""
    frame = _data(tmp_path / "churn.csv")
    out = tmp_path / "draft.yaml"
    drafted = _medic("models", "init-spec", "--reference", str(tmp_path / "churn.csv"),
                     "--target", "churned", "--name", "churn", "--out", str(out))
    assert drafted.exit_code == 0, drafted.output
    raw = yaml.safe_load(out.read_text())
    raw["training"] = {"external": True, "hook_url": hook_url,
                       "secret_env": "CHURN_HOOK_SECRET", "attempts": 2}
    out.write_text(yaml.safe_dump(raw, sort_keys=False))
    return frame, out


def test_an_external_model_is_added_served_logged_monitored_and_its_hook_signed(
        home, tmp_path, receiver):
    settings, keys = home
    frame, spec_file = _draft(tmp_path, receiver)
    pipeline = _logged_elsewhere(settings, frame, "team-churn")

    added = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model", "team-churn",
                   "--key", keys["admin"])
    assert added.exit_code == 0, added.output
    assert "MLflow model 'team-churn' version 1 is its champion" in added.output
    assert "`medic up` serves it at /v1/models/churn/predict" in added.output
    copied = yaml.safe_load((settings.models_dir / "churn.yaml").read_text())
    assert copied["registry_name"] == "team-churn" and copied["training"]["external"] is True

    listed = {m["name"]: m for m in json.loads(_medic("models", "list", "--json").output)}
    assert (listed["churn"]["registry_name"], listed["churn"]["champion"]) == ("team-churn", "1")

    from ml.registry.aliases import open_registry

    registry = open_registry(settings).named("team-churn")
    assert registry.recorded_champion() == "1"
    assert registry.recorded_versions()[0].aliases == ["champion"]  # Medic's record of MLflow

    served = api_settings(settings.home, ingest_process=False, models_dir=settings.models_dir)
    from api.app import create_app

    with TestClient(create_app(served)) as client:
        client.headers.update({"X-API-Key": keys["predictor"]})
        loading = client.app.state.root.served("churn").serving
        wait_for(lambda: loading.current is not None, timeout=60, what="churn loaded")
        answers = [client.post("/v1/models/churn/predict", json=row) for row in ROWS]
        assert [a.status_code for a in answers] == [200] * 4, answers[0].text
        bodies = [a.json() for a in answers]
        expected = pipeline.predict_proba(pd.DataFrame(ROWS))[:, 1]
        assert [b["probability"] for b in bodies] == pytest.approx(expected.tolist())
        assert {(b["model"], b["version"]) for b in bodies} == {("churn", "1")}
        assert [b["label"] for b in bodies] == [int(p >= 0.5) for p in expected]
        wrong = client.post("/v1/models/churn/predict", json={"tenure": 3.0})
        assert wrong.status_code == 422 and "spend" in wrong.text
        drifted = [{"tenure": 50.0 + n % 10, "spend": 10.0 + n % 7, "plan": "pro"}
                   for n in range(120)]  # long-standing customers on the top plan, paying little
        batch = client.post("/v1/models/churn/predict/batch", json={"rows": drifted})
        assert batch.status_code == 200, batch.text
        for body, label in zip(bodies[:3], (1, 0, 1), strict=True):
            stored = client.post("/v1/models/churn/feedback",
                                 json={"request_id": body["request_id"], "label": label})
            assert stored.status_code == 201, stored.text
        client.app.state.root.predictions.flush_now()

    from services import watched
    from services.context import open_medic
    from services.monitors import run as monitors

    with open_medic(settings) as opened:
        with opened.sessions() as session:
            logged = session.scalars(select(Prediction.features)
                                     .where(Prediction.model == "churn")).all()
        assert len(logged) == 124 and all(row in logged for row in ROWS)  # as sent
        one = watched.watched(opened, "churn")[0]
        baseline = monitors.champion_reference(opened, one)  # its hold-out, scored as logged
        assert len(baseline.features) == 320 and len(baseline.predictions) == 80
        monitors.run_checks(opened, model="churn")
        results = monitors.run_checks(opened, model="churn")  # data drift fires after two
        with opened.sessions() as session:
            opened_incidents = session.scalars(select(Incident.model)).all()
    assert {r.model for r in results} == {"churn"}
    drift = next(r for r in results if r.kind == "data_drift")
    assert drift.rows == 124 and drift.state in ("warning", "critical"), drift
    assert opened_incidents == ["churn"]  # its own incident, the default model's untouched

    # the agent plans a retrain for churn with churn's own tools; approved, the retrain is
    # asked of the team's pipeline through its signed hook: nothing is trained here
    from agent_graph.runtime.runner import open_agent
    from tests.conftest import Driver, principal_of

    with open_agent(settings) as running:
        agent = Driver(running, settings)
        with agent.sessions() as session:
            [incident_id] = session.scalars(select(Incident.id)).all()
        agent.agent.advance(incident_id)
        [pending] = agent.pending()
        assert [a["tool"] for a in pending["actions"]] == ["retrain"]
        agent.decide(pending["id"], approve=True,
                     principal=principal_of(agent.sessions, name="alice", role="approver"))
        with agent.sessions() as session:
            incident = session.get(Incident, incident_id)
            outcome = incident.outcome
        assert registry.recorded_champion() == "1"  # nothing serves differently yet
    assert "retrain requested from churn's own pipeline (hook sent, 3 labelled rows " \
        "exported)" in outcome, outcome
    headers, body = Receiver.got[0]
    stamp, signature = headers["X-Medic-Timestamp"], headers["X-Medic-Signature"]
    mine = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, "sha256=" + mine)
    sent = json.loads(body)
    assert (sent["event"], sent["model"], sent["registry_name"], sent["incident_id"],
            sent["champion_version"]) == ("retrain_requested", "churn", "team-churn",
                                          incident_id, "1")
    exported = pd.read_csv(sent["data"]["path"])
    assert sent["data"]["rows"] == len(exported) == 3
    assert hashlib.sha256(open(sent["data"]["path"], "rb").read()).hexdigest() == \
        sent["data"]["sha256"]
    by_tenure = exported.set_index("tenure")
    assert by_tenure.loc[3.0, "target"] == 1 and by_tenure.loc[40.0, "target"] == 0
    assert by_tenure.loc[12.0, "spend"] == 55.0 and SECRET not in body.decode()


def test_bad_specs_unknown_mlflow_models_and_clashes_are_one_line_errors(home, tmp_path,
                                                                        receiver):
    settings, keys = home
    frame, spec_file = _draft(tmp_path, receiver)
    admin = ("--key", keys["admin"])

    unknown = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model", "nope", *admin)
    assert unknown.exit_code == 2
    assert "no model 'nope' is registered in MLflow" in unknown.output
    assert len(unknown.output.strip().splitlines()) == 1
    assert not (settings.models_dir / "churn.yaml").exists()  # nothing written

    broken = tmp_path / "broken.yaml"
    raw = yaml.safe_load(spec_file.read_text())
    broken.write_text(yaml.safe_dump({**raw, "features": []}))
    bad = _medic("models", "add", "--spec", str(broken), *admin)
    assert bad.exit_code == 2 and "broken.yaml: features:" in bad.output
    hookless = tmp_path / "hookless.yaml"
    hookless.write_text(yaml.safe_dump({**raw, "training": {"external": True,
                                                            "hook_url": "ftp://x"}}))
    bad_hook = _medic("models", "add", "--spec", str(hookless), *admin)
    assert bad_hook.exit_code == 2 and "training.hook_url" in bad_hook.output

    clash = tmp_path / "clash.yaml"
    clash.write_text(yaml.safe_dump({**raw, "name": "heart-disease"}))
    taken = _medic("models", "add", "--spec", str(clash), *admin)
    assert taken.exit_code == 2 and "'heart-disease' is already known" in taken.output

    _logged_elsewhere(settings, frame, "team-churn")
    viewer = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model", "team-churn",
                    "--key", keys["viewer"])
    assert viewer.exit_code == 2 and not (settings.models_dir / "churn.yaml").exists()
    missing = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model",
                     "team-churn", "--version", "9", *admin)
    assert missing.exit_code == 2 and "has no version 9" in missing.output
