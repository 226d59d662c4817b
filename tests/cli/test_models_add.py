"""Bring your own model: a pipeline trained and registered outside Medic, added, served,
logged, monitored, and its retrain asked of its own pipeline through a signed hook."""

import hashlib
import hmac
import json

import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from core.tables import Incident, Prediction
from tests.api.conftest import api_settings
from tests.external_model import SECRET, draft, logged_elsewhere
from tests.processes import wait_for
from tests.receiver import Receiver

runner = CliRunner()
ROWS = [{"tenure": 3.0, "spend": 80.0, "plan": "basic"},
        {"tenure": 40.0, "spend": 20.0, "plan": "pro"},
        {"tenure": 12.0, "spend": 55.0, "plan": "plus"},
        {"tenure": 1.0, "spend": 95.0, "plan": "basic"}]


def _medic(*args: str):
    return runner.invoke(app, list(args))


def _draft(tmp_path, hook_url: str):
    return draft(_medic, tmp_path, hook_url)


def test_an_external_model_is_added_served_logged_monitored_and_its_hook_signed(
        external_home, tmp_path, receiver):
    settings, keys = external_home
    frame, spec_file = _draft(tmp_path, receiver)
    pipeline = logged_elsewhere(settings, frame, "team-churn")

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


def test_bad_specs_unknown_mlflow_models_and_clashes_are_one_line_errors(external_home,
                                                                        tmp_path, receiver):
    settings, keys = external_home
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

    logged_elsewhere(settings, frame, "team-churn")
    viewer = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model", "team-churn",
                    "--key", keys["viewer"])
    assert viewer.exit_code == 2 and not (settings.models_dir / "churn.yaml").exists()
    missing = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model",
                     "team-churn", "--version", "9", *admin)
    assert missing.exit_code == 2 and "has no version 9" in missing.output


@pytest.mark.slow
def test_a_running_server_serves_a_model_added_while_it_runs(external_home, tmp_path, receiver):
    """`medic models add` beside a live `medic up`: predicted on over HTTP, no restart."""
    import httpx

    from tests.processes import log_of, start_medic, stop

    settings, keys = external_home
    frame, spec_file = _draft(tmp_path, receiver)
    pipeline = logged_elsewhere(settings, frame, "team-churn")
    process, url = start_medic(settings.home, env={"MEDIC_MODELS_DIR": str(settings.models_dir)})
    try:
        with httpx.Client(base_url=url, headers={"X-API-Key": keys["predictor"]},
                          timeout=10) as client:
            before = client.post("/v1/models/churn/predict", json=ROWS[0])
            assert before.status_code == 404, before.text
            assert "no model 'churn'; known: heart-disease" in before.text

            added = _medic("models", "add", "--spec", str(spec_file), "--mlflow-model",
                           "team-churn", "--key", keys["admin"])
            assert added.exit_code == 0, added.output
            said = " ".join(added.output.split())
            assert f"the server at {url} serves it at /v1/models/churn/predict without a " \
                   "restart" in said, said
            assert "restart it" not in said

            def served():
                answer = client.post("/v1/models/churn/predict", json=ROWS[0])
                return answer if answer.status_code == 200 else None

            answer = wait_for(served, timeout=60, what="churn served without a restart",
                              logs=[log_of(settings.home)]).json()
            expected = pipeline.predict_proba(pd.DataFrame(ROWS[:1]))[0, 1]
            assert (answer["model"], answer["version"]) == ("churn", "1")
            assert answer["probability"] == pytest.approx(expected)
            wrong = client.post("/v1/models/churn/predict", json={"tenure": 3.0})
            assert wrong.status_code == 422 and "spend" in wrong.text  # its own request model
            unknown = client.post("/v1/models/nope/predict", json=ROWS[0])
            assert unknown.status_code == 404
            assert "no model 'nope'; known: heart-disease, churn" in unknown.text
            listed = {m["name"]: m for m in client.get(
                "/v1/models", headers={"X-API-Key": keys["viewer"]}).json()["models"]}
            assert listed["churn"]["served"] == "1", listed["churn"]
            scraped = client.get("/metrics", headers={"X-API-Key": keys["viewer"]})
            counted = [line for line in scraped.text.splitlines()
                       if line.startswith("medic_predictions_total{")
                       and 'model="churn"' in line]
            assert sum(float(line.rsplit(" ", 1)[1]) for line in counted) == 1.0, counted
    finally:
        stop(process)
