"""Predictions: validation, auth, batch, logging, feedback."""

import json
import time
import uuid

from sqlalchemy import func, select

from core.tables import Prediction
from tests.api.conftest import PATIENT, SECRET


def test_predict_answers_probability_class_model_version(api):
    reply = api.post("/v1/predict", json=PATIENT, headers=api.as_role("predictor"))
    assert reply.status_code == 200
    body = reply.json()
    assert 0 <= body["probability"] <= 1 and body["label"] == int(body["probability"] >= 0.5)
    assert (body["model"], body["version"]) == ("heart-disease", "2")
    assert len(body["request_id"]) == 32
    model = api.root.serving.current.model
    import pandas as pd

    expected = model.predict_proba(pd.DataFrame([PATIENT], dtype=float))[0, 1]
    assert abs(body["probability"] - expected) < 1e-9


def test_request_ids_are_uuid7_in_time_order_and_features_are_logged_as_sent(api):
    headers = api.as_role("predictor")
    ids = []
    for _ in range(3):
        ids.append(api.post("/v1/predict", json=PATIENT, headers=headers).json()["request_id"])
        time.sleep(0.002)  # a new millisecond: v7 orders by it
    assert [uuid.UUID(i).version for i in ids] == [7, 7, 7] and ids == sorted(ids)
    api.root.predictions.flush_now()
    with api.root.sessions() as session:
        logged = session.scalar(select(Prediction.features)
                                .where(Prediction.request_id == ids[0]))
    assert logged == PATIENT


def test_missing_values_are_allowed_where_the_model_imputes(api):
    reply = api.post("/v1/predict", json={**PATIENT, "ca": None, "thal": None, "chol": None},
                     headers=api.as_role("predictor"))
    assert reply.status_code == 200


def test_invalid_input_names_each_bad_field(api):
    reply = api.post("/v1/predict", json={**PATIENT, "age": 300, "cp": 9, "sex": "x",
                                          "extra": 1}, headers=api.as_role("predictor"))
    assert reply.status_code == 422
    fields = {e["field"] for e in reply.json()["errors"]}
    assert fields == {"age", "cp", "sex", "extra"}


def test_non_standard_json_and_wrong_shapes_are_422_not_500(api):
    headers = {**api.as_role("predictor"), "content-type": "application/json"}
    for body in ['{"age": NaN, "sex": 1, "cp": 1}', "[1, 2]", "not json", "{}", ""]:
        assert api.post("/v1/predict", content=body, headers=headers).status_code == 422


def test_keys_and_roles(api):
    assert api.post("/v1/predict", json=PATIENT).status_code == 401
    assert api.post("/v1/predict", json=PATIENT,
                    headers={"X-API-Key": "mdk_wrong"}).status_code == 401
    assert api.post("/v1/predict", json=PATIENT,
                    headers=api.as_role("viewer")).status_code == 403
    bearer = {"Authorization": f"Bearer {api.keys['predictor']}"}
    assert api.post("/v1/predict", json=PATIENT, headers=bearer).status_code == 200


def test_batch_answers_in_order_and_respects_the_limit(api):
    patients = [PATIENT, {**PATIENT, "age": 40, "cp": 3, "thal": 3}]
    reply = api.post("/v1/predict/batch", json={"patients": patients},
                     headers=api.as_role("predictor"))
    assert reply.status_code == 200 and len(reply.json()["predictions"]) == 2
    api.root.settings.max_batch = 1
    too_many = api.post("/v1/predict/batch", json={"patients": patients},
                        headers=api.as_role("predictor"))
    assert too_many.status_code == 413 and "at most 1" in too_many.json()["detail"]


def test_bodies_over_the_limit_are_refused(api):
    big = json.dumps({"patients": [PATIENT] * 30000})
    assert len(big) > 4 * 1024 * 1024
    reply = api.post("/v1/predict/batch", content=big,
                     headers={**api.as_role("predictor"), "content-type": "application/json"})
    assert reply.status_code == 413


def test_every_prediction_is_logged_and_feedback_joins_it(api):
    ids = [api.post("/v1/predict", json=PATIENT, headers=api.as_role("predictor")).json()
           ["request_id"] for _ in range(5)]
    reply = api.post("/v1/feedback", json={"request_id": ids[0], "label": 1},
                     headers=api.as_role("predictor"))
    assert reply.status_code == 201
    again = api.post("/v1/feedback", json={"request_id": ids[0], "label": 0},
                     headers=api.as_role("predictor"))
    assert again.status_code == 201
    unknown = api.post("/v1/feedback", json={"request_id": "nope", "label": 1},
                       headers=api.as_role("predictor"))
    assert unknown.status_code == 404
    api.root.predictions.flush_now()  # the log is written off the request path
    with api.root.sessions() as session:
        logged = session.scalar(select(func.count()).select_from(Prediction)
                                .where(Prediction.request_id.in_(ids)))
    assert logged == 5


def test_health_ready_models_and_security_headers(api):
    assert api.get("/health").json() == {"status": "ok"}
    ready = api.get("/ready")
    assert ready.status_code == 200 and ready.json()["model_version"] == "2"
    models = api.get("/v1/models", headers=api.as_role("viewer")).json()
    assert models["serving"] == "2" and [v["version"] for v in models["versions"]] == ["2", "1"]
    assert [h["action"] for h in models["history"]] == ["promote", "promote"]
    assert ready.headers["x-content-type-options"] == "nosniff"
    assert ready.headers["x-frame-options"] == "DENY"
    preflight = api.options("/v1/predict", headers={"Origin": "http://evil.example",
                                                    "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_rate_limits_answer_429_with_retry_after(trained):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.conftest import api_settings, role_keys

    settings = api_settings(trained[0].home, rate_limit_per_minute=3)
    made = role_keys(settings)
    with TestClient(create_app(settings)) as client:
        codes = [client.post("/v1/predict", json=PATIENT,
                             headers={"X-API-Key": made["predictor"]}) for _ in range(4)]
    assert [c.status_code for c in codes] == [200, 200, 200, 429]
    assert int(codes[-1].headers["retry-after"]) >= 1


def test_metrics_show_requests_predictions_model_and_incidents(api):
    api.post("/v1/predict", json=PATIENT, headers=api.as_role("predictor"))
    assert api.get("/metrics").status_code == 401
    text = api.get("/metrics", headers=api.as_role("viewer")).text
    assert 'medic_http_requests_total{method="POST",route="/v1/predict",status="200"}' in text
    assert "medic_http_request_duration_seconds_bucket" in text
    assert 'medic_model_info{model="heart-disease",version="2"} 1.0' in text
    assert "medic_predictions_total" in text and "medic_approvals_pending 0.0" in text


def test_no_secret_or_key_in_logs(api, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    api.post("/v1/predict", json=PATIENT, headers=api.as_role("predictor"))
    api.post("/v1/alerts/alertmanager", json={"version": "4", "alerts": []},
             headers={"Authorization": "Bearer wrong"})
    logged = caplog.text
    assert api.keys["predictor"] not in logged and SECRET not in logged
