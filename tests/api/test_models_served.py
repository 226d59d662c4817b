"""Every known model served at once: bike-demand beside heart-disease, each on its own routes."""

import shutil

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.tables import Feedback, Prediction
from tests.api.conftest import PATIENT, api_settings, role_keys
from tests.processes import wait_for

LIGHT = {"cv_folds": 2, "models": {
    "random_forest": {"n_estimators": 20, "max_depth": 8},
    "xgboost": {"n_estimators": 40, "max_depth": 5, "learning_rate": 0.1},
    "lightgbm": {"n_estimators": 40, "num_leaves": 15, "learning_rate": 0.1},
}}
# Rows as the CSV has them: text categories, empty cells as null, the date beside them.
RIDE = {"dteday": "2011-03-14", "season": "spring", "hr": "6am", "holiday": "No",
        "weekday": None, "workingday": "Yes", "weathersit": None, "temp": 8.2, "atemp": 6.0,
        "hum": 70.0, "windspeed": 11.0}
RUSH = {"season": "spring", "hr": "5pm", "holiday": "No", "weekday": "Wed",
        "workingday": "Yes", "weathersit": "Clear", "temp": 14.0, "atemp": 13.0, "hum": 40.0,
        "windspeed": 9.0}
BIKE = "/v1/models/bike-demand"


@pytest.fixture(scope="module")
def both_home(two_models_home):
    """The trained heart-disease home, with bike-demand trained beside it (a light recipe)."""
    return two_models_home[:2]


@pytest.fixture
def both(both_home, tmp_path):
    from api.app import create_app

    home = tmp_path / "medic"
    shutil.copytree(both_home[0], home)
    settings = api_settings(home, ingest_process=False)
    made = role_keys(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        client.root = app.state.root
        client.as_role = lambda role: {"X-API-Key": made[role]}
        client.headers.update(client.as_role("predictor"))
        loading = client.root.served("bike-demand").serving  # loaded by its watcher, off start-up
        wait_for(lambda: loading.current is not None, timeout=60, what="bike-demand loaded")
        yield client


def _logged(api, model: str | None = None):
    api.root.predictions.flush_now()
    with api.root.sessions() as session:
        query = select(Prediction.request_id, Prediction.model, Prediction.features,
                       Prediction.probability)
        return {r.request_id: r for r in session.execute(
            query if model is None else query.where(Prediction.model == model))}


def test_bike_demand_predicts_batches_and_takes_feedback_on_csv_shaped_rows(both, both_home):
    one = both.post(f"{BIKE}/predict", json=RIDE)
    assert one.status_code == 200, one.text
    body = one.json()
    assert set(body) == {"request_id", "prediction", "model", "version"}
    assert (body["model"], body["version"]) == ("bike-demand", both_home[1])

    batch = both.post(f"{BIKE}/predict/batch", json={"rows": [RIDE, RUSH]})
    assert batch.status_code == 200, batch.text
    answered = batch.json()
    assert [set(p) for p in answered["predictions"]] == [{"prediction"}] * 2
    early, rush = (p["prediction"] for p in answered["predictions"])
    assert early == pytest.approx(body["prediction"]) and rush > early  # rows kept in order

    model = both.root.served("bike-demand").serving.current.model  # the pipeline itself
    import pandas as pd

    expected = model.predict(pd.DataFrame([{k: v for k, v in RIDE.items() if k != "dteday"}]))
    assert body["prediction"] == pytest.approx(float(expected[0]), rel=1e-6)

    for request_id, label in ((body["request_id"], 31), (f"{answered['request_id']}-1", 412)):
        stored = both.post(f"{BIKE}/feedback", json={"request_id": request_id, "label": label})
        assert stored.status_code == 201, stored.text
        assert stored.json() == {"request_id": request_id, "label": label}
    logged = _logged(both, "bike-demand")
    assert logged[body["request_id"]].features == RIDE  # as sent, nulls and date included
    assert logged[f"{answered['request_id']}-1"].features == {**RUSH, "dteday": None}
    assert logged[body["request_id"]].probability == pytest.approx(body["prediction"])
    with both.root.sessions() as session:
        labels = dict(session.execute(select(Feedback.request_id, Feedback.model)).all())
    assert labels == {body["request_id"]: "bike-demand",
                      f"{answered['request_id']}-1": "bike-demand"}


def test_the_classifier_answers_as_before_on_the_old_routes_and_its_own(both):
    old = both.post("/v1/predict", json=PATIENT).json()
    assert set(old) == {"request_id", "probability", "label", "model", "version"}
    named = both.post("/v1/models/heart-disease/predict", json=PATIENT).json()
    assert set(named) == set(old) and named["probability"] == old["probability"]
    assert (named["model"], named["version"]) == (old["model"], old["version"])
    batch = both.post("/v1/predict/batch", json={"patients": [PATIENT]}).json()
    assert set(batch) == {"request_id", "model", "version", "predictions"}
    assert batch["predictions"] == [{"probability": old["probability"], "label": old["label"]}]
    rows = both.post("/v1/models/heart-disease/predict/batch", json={"rows": [PATIENT]}).json()
    assert rows["predictions"] == batch["predictions"]
    assert both.post("/v1/feedback", json={"request_id": old["request_id"],
                                           "label": 1}).status_code == 201
    assert both.post("/v1/models/heart-disease/feedback", json={
        "request_id": named["request_id"], "label": 0}).status_code == 201


def test_an_unknown_model_is_a_404_naming_the_known_ones(both):
    for method, path, body in (("post", "/v1/models/nope/predict", RIDE),
                               ("post", "/v1/models/nope/predict/batch", {"rows": [RIDE]}),
                               ("post", "/v1/models/nope/feedback",
                                {"request_id": "x", "label": 1}),
                               ("get", "/v1/models/nope", None)):
        headers = both.as_role("viewer" if method == "get" else "predictor")
        reply = both.request(method.upper(), path, json=body, headers=headers)
        assert reply.status_code == 404, path
        assert reply.json()["detail"] == "no model 'nope'; known: heart-disease, bike-demand"


def test_a_row_that_does_not_match_its_spec_names_each_field(both):
    bad = {**RIDE, "season": "monsoon", "hr": "25am", "temp": 99, "cnt": 40, "casual": 3}
    del bad["hum"]
    reply = both.post(f"{BIKE}/predict", json=bad)
    assert reply.status_code == 422
    problems = {e["field"]: e["problem"] for e in reply.json()["errors"]}
    assert set(problems) == {"season", "hr", "temp", "hum", "cnt", "casual"}
    assert "'winter', 'spring', 'summer' or 'fall'" in problems["season"]
    assert "less than or equal to 50" in problems["temp"]
    assert problems["hum"] == "Field required"
    assert "not permitted" in problems["cnt"]  # the target and the excluded columns
    # weekday and weathersit may be missing (max_missing > 0); season may not be null
    absent = {k: v for k, v in RIDE.items() if k not in ("weekday", "weathersit", "dteday")}
    assert both.post(f"{BIKE}/predict", json=absent).status_code == 200
    nulled = both.post(f"{BIKE}/predict", json={**RIDE, "season": None})
    assert [e["field"] for e in nulled.json()["errors"]] == ["season"]
    assert both.post(f"{BIKE}/predict", json={**RIDE, "dteday": "March"}).status_code == 422
    batch = both.post(f"{BIKE}/predict/batch", json={"rows": [RIDE, {**RIDE, "hr": 6}]})
    assert [e["field"] for e in batch.json()["errors"]] == ["rows.1.hr"]
    feedback = both.post(f"{BIKE}/feedback", json={"request_id": "x", "label": 2000.5})
    assert [e["field"] for e in feedback.json()["errors"]] == ["label"]  # over the range
    # the classifier's routes keep their own spec: a bike row is not a patient
    assert both.post("/v1/models/heart-disease/predict", json=RIDE).status_code == 422


def test_feedback_for_another_models_request_id_is_not_found(both):
    ride = both.post(f"{BIKE}/predict", json=RIDE).json()["request_id"]
    patient = both.post("/v1/predict", json=PATIENT).json()["request_id"]
    for path, body in (("/v1/feedback", {"request_id": ride, "label": 1}),
                       ("/v1/models/heart-disease/feedback", {"request_id": ride, "label": 1}),
                       (f"{BIKE}/feedback", {"request_id": patient, "label": 12})):
        reply = both.post(path, json=body)
        assert reply.status_code == 404, path
        assert reply.json()["detail"].startswith("no prediction of ")
    with both.root.sessions() as session:
        assert session.scalar(select(Feedback.request_id)) is None


def test_both_models_rows_are_logged_and_counted_under_their_names(both):
    ride = both.post(f"{BIKE}/predict", json=RIDE).json()["request_id"]
    patient = both.post("/v1/predict", json=PATIENT).json()["request_id"]
    logged = _logged(both)
    assert (logged[ride].model, logged[patient].model) == ("bike-demand", "heart-disease")
    scraped = both.get("/metrics", headers=both.as_role("viewer")).text
    assert 'medic_predictions_total{label="",model="bike-demand"} 1.0' in scraped
    assert 'medic_predictions_total{label="0",model="heart-disease"}' in scraped
    assert 'medic_model_info{model="bike-demand",version="1"} 1.0' in scraped
    assert 'medic_model_info{model="heart-disease",version="2"} 1.0' in scraped


def test_models_are_listed_and_described(both, both_home):
    headers = both.as_role("viewer")
    listed = both.get("/v1/models", headers=headers).json()
    assert listed["name"] == "heart-disease" and listed["versions"]  # the default's, as before
    assert [(m["name"], m["task"], m["champion"], m["served"], m["state"])
            for m in listed["models"]] == [
        ("heart-disease", "binary_classification", "2", "2", "serving"),
        ("bike-demand", "regression", both_home[1], both_home[1], "serving")]
    bike = both.get(BIKE, headers=headers).json()
    assert bike == listed["models"][1] and bike["time_column"] == "dteday"
    weather = next(f for f in bike["features"] if f["name"] == "weathersit")
    assert weather["required"] is False and weather["categories"][0] == "Clear"
    assert both.get(BIKE).status_code == 403  # a predictor's key predicts, never reads
    assert both.get(BIKE, headers={"X-API-Key": "mdk_wrong"}).status_code == 401
    assert both.post(f"{BIKE}/predict", json=RIDE, headers=headers).status_code == 403


def test_a_promoted_bike_demand_version_is_served_without_touching_heart_disease(both):
    served = both.root.served("bike-demand")
    registry = served.registry
    first = served.serving.current.version
    again = registry.register(registry.source(first), model_type="xgboost")
    registry.promote(again, expected=first, actor="test", reason="a new version")
    import time

    deadline = time.monotonic() + 30
    while served.serving.current.version != again and time.monotonic() < deadline:
        time.sleep(0.1)  # its watcher polls every 0.2 s here
    reply = both.post(f"{BIKE}/predict", json=RIDE).json()
    assert reply["version"] == again
    assert both.post("/v1/predict", json=PATIENT).json()["version"] == "2"


def _light_spec(folder, name: str, **training) -> None:
    """Write bike-demand's spec as `name`, with a quick recipe (and `training` overrides)."""
    from core.settings import PROJECT_ROOT

    spec = yaml.safe_load((PROJECT_ROOT / "configs/models/bike-demand.yaml").read_text())
    spec["name"] = name
    spec["training"] = {**spec["training"], "cv_folds": 2, "families": {
        "xgboost": LIGHT["models"]["xgboost"]}, **training}
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(spec))


def test_a_model_without_a_champion_trains_in_the_background_answering_503_meanwhile(
        trained, tmp_path):
    from api.app import create_app
    from core.settings import PROJECT_ROOT

    specs = tmp_path / "models"
    specs.mkdir()
    shutil.copy(PROJECT_ROOT / "configs/models/heart-disease.yaml", specs)
    _light_spec(specs, "bike-demand")
    _light_spec(specs, "bike-strict", min_metric=0.5)  # no model is that good: it fails
    settings = api_settings(trained[0].home, ingest_process=False, models_dir=specs,
                            train_in_background=True)
    made = role_keys(settings)
    with TestClient(create_app(settings)) as api:
        api.headers["X-API-Key"] = made["predictor"]
        waiting = api.post(f"{BIKE}/predict", json=RIDE)
        assert waiting.status_code == 503
        assert waiting.json()["detail"].startswith("bike-demand is training, retry in ")
        assert int(waiting.headers["Retry-After"]) >= 5
        assert api.post("/v1/predict", json=PATIENT).status_code == 200  # served meanwhile
        viewer = {"X-API-Key": made["viewer"]}
        assert api.get(BIKE, headers=viewer).json()["state"] in ("waiting", "training")

        wait_for(lambda: api.post(f"{BIKE}/predict", json=RIDE).status_code == 200,
                 timeout=180, what="bike-demand to be trained and served", every=1)
        assert api.get(BIKE, headers=viewer).json()["state"] == "serving"
        wait_for(lambda: api.get("/v1/models/bike-strict", headers=viewer).json()["state"]
                 == "failed", timeout=180, what="bike-strict's training to fail", every=1)
        failed = api.post("/v1/models/bike-strict/predict", json=RIDE)
        assert failed.status_code == 503 and "Retry-After" not in failed.headers
        assert failed.json()["detail"] == (
            "bike-strict has no champion: its background training failed (see the server "
            "log); run `medic train --model bike-strict`")


def test_a_regressors_true_value_is_stored_exactly_and_a_classifiers_stays_a_class(both):
    ride = both.post(f"{BIKE}/predict", json=RIDE).json()["request_id"]
    stored = both.post(f"{BIKE}/feedback", json={"request_id": ride, "label": 31.25})
    assert stored.status_code == 201, stored.text
    assert stored.json() == {"request_id": ride, "label": 31.25}
    again = both.post(f"{BIKE}/feedback", json={"request_id": ride, "label": 0.1})
    assert again.json()["label"] == 0.1  # a corrected value replaces it, exactly
    patient = both.post("/v1/predict", json=PATIENT).json()["request_id"]
    for path in ("/v1/feedback", "/v1/models/heart-disease/feedback"):
        refused = both.post(path, json={"request_id": patient, "label": 0.5})
        assert refused.status_code == 422, path
    assert both.post("/v1/feedback", json={"request_id": patient, "label": 1}).json() == {
        "request_id": patient, "label": 1}
    with both.root.sessions() as session:
        labels = dict(session.execute(select(Feedback.request_id, Feedback.label)).all())
    assert labels == {ride: 0.1, patient: 1}
    frame = _window(both, "bike-demand")
    assert frame["target"].dropna().tolist() == [0.1]  # what the MAE monitor reads


def _window(api, model: str):
    from ml import spec
    from ml.serving.prediction_log import window

    api.root.predictions.flush_now()
    return window(api.root.sessions, 60, spec=spec.of(api.root.settings, model))


def test_5xx_on_bike_demands_route_moves_its_error_rate_not_heart_diseases(both, monkeypatch):
    from api.metrics import ServingWindows
    from core.errors import Unavailable
    from services import predictions
    from services.monitors import run as monitors

    windows = ServingWindows(both.root.metrics)
    loaded = predictions._loaded

    def bike_down(served, training):
        if served.name == "bike-demand":
            raise Unavailable("bike-demand is down for this test")
        return loaded(served, training)

    monkeypatch.setattr(predictions, "_loaded", bike_down)
    for _ in range(12):
        assert both.post(f"{BIKE}/predict", json=RIDE).status_code == 503
        assert both.post(f"{BIKE}/predict/batch", json={"rows": [RIDE]}).status_code == 503
    for _ in range(12):
        assert both.post("/v1/predict", json=PATIENT).status_code == 200
        assert both.post("/v1/models/heart-disease/predict", json=PATIENT).status_code == 200
    bike, heart = windows(5, "bike-demand"), windows(5, "heart-disease")
    assert (bike.requests, bike.errors) == (24, 24)
    assert (heart.requests, heart.errors) == (24, 0)

    checked = {(r.model, r.name): r for r in monitors.run_checks(both.root.medic,
                                                                 serving=windows)}
    assert checked["bike-demand", "error_rate"].value == 1.0
    assert checked["bike-demand", "error_rate"].state == "critical"
    assert checked["heart-disease", "error_rate"].value == 0.0
    assert checked["heart-disease", "error_rate"].state == "ok"
    assert checked["bike-demand", "load_failures"].state == "ok"  # each model has its own
    scraped = both.get("/metrics", headers=both.as_role("viewer")).text
    assert 'medic_model_requests_total{model="bike-demand",status="503"} 24.0' in scraped


def test_each_models_overview_and_monitoring_count_its_own_rows(both):
    from services.monitors.series import series
    from services.overview import overview

    for _ in range(5):
        assert both.post(f"{BIKE}/predict", json=RIDE).status_code == 200
    both.post(f"{BIKE}/predict/batch", json={"rows": [RIDE, RUSH]})
    labelled = [both.post("/v1/predict", json=PATIENT).json() for _ in range(3)]
    for answer in labelled:
        both.post("/v1/feedback", json={"request_id": answer["request_id"],
                                        "label": answer["label"]})
    both.root.predictions.flush_now()
    medic = both.root.medic
    heart, bike = overview(medic), overview(medic, model="bike-demand")
    assert (heart.traffic.last_hour, heart.traffic.last_day) == (3, 3)  # bike's rows apart
    assert (bike.traffic.last_hour, bike.traffic.last_day) == (7, 7)
    assert [(m.name, m.task, m.default) for m in heart.models] == [
        ("heart-disease", "binary_classification", True), ("bike-demand", "regression", False)]
    assert heart.models == bike.models  # every model's state, whichever is picked
    assert series(medic).traffic.total == 3 and series(medic).f1.labelled == 3
    assert series(medic, model="bike-demand").traffic.total == 7
    assert series(medic, model="bike-demand").f1.labelled == 0
