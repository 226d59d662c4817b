"""Feedback: a label for a prediction that was answered is never refused."""

import sqlite3
import threading
import time

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import PATIENT, api_settings, role_keys


@pytest.fixture
def slow_log_api(trained):
    from api.app import create_app

    settings = api_settings(trained[0].home, log_flush_seconds=0.02)
    made = role_keys(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        client.headers["X-API-Key"] = made["predictor"]
        client.db = settings.database_url.split("///", 1)[1]
        client.root = app.state.root
        yield client


def test_10_feedback_right_after_its_prediction_while_the_log_write_is_in_flight(
        slow_log_api):
    """Issue 9, item 10: the writer has taken the row off its queue but not committed it."""
    api = slow_log_api
    blocker = sqlite3.connect(api.db, timeout=30, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # the database is slow: the writer waits on this lock
    release = threading.Timer(1.0, blocker.rollback)
    try:
        request_id = api.post("/v1/predict", json=PATIENT).json()["request_id"]
        time.sleep(0.3)  # the writer takes the row and blocks in its insert
        release.start()
        reply = api.post("/v1/feedback", json={"request_id": request_id, "label": 1})
    finally:
        release.join()
        blocker.close()
    assert reply.status_code == 201, reply.text
    assert reply.json() == {"request_id": request_id, "label": 1}


def test_10_no_label_is_lost_when_sent_right_after_each_prediction(slow_log_api):
    api = slow_log_api
    codes = []
    for _ in range(150):
        request_id = api.post("/v1/predict", json=PATIENT).json()["request_id"]
        codes.append(api.post("/v1/feedback", json={"request_id": request_id,
                                                    "label": 0}).status_code)
    assert codes.count(201) == 150
    batch = api.post("/v1/predict/batch", json={"patients": [PATIENT] * 3}).json()
    for index in range(3):
        reply = api.post("/v1/feedback", json={"request_id": f"{batch['request_id']}-{index}",
                                               "label": 1})
        assert reply.status_code == 201
    assert api.post("/v1/feedback", json={"request_id": f"{batch['request_id']}-3",
                                          "label": 1}).status_code == 404


def test_a_label_for_a_prediction_past_the_retention_is_410_and_an_unknown_one_404(api):
    """Issue 28: the label of a prediction the retention removed is refused clearly."""
    from datetime import UTC, datetime, timedelta

    from core import log_retention
    from core.db import EncodedJSON
    from ml.serving.prediction_log import PredictionLog
    from tests.core.test_log_retention import request_id_at

    api.headers["X-API-Key"] = api.keys["predictor"]
    sessions = api.root.sessions
    old = datetime.now(UTC) - timedelta(days=120)
    request_id = request_id_at(old)
    log = PredictionLog(sessions)
    log.add({"request_id": request_id, "features": EncodedJSON('{"age":63.0}'),
             "probability": 0.7, "label": 1, "model_version": "1", "latency_ms": 1.0,
             "created_at": old})
    log.close()
    assert api.post("/v1/feedback", json={"request_id": request_id, "label": 1}).status_code \
        == 201  # not removed yet: still taken
    log_retention.apply(sessions, days=90, now=datetime.now(UTC))

    gone = api.post("/v1/feedback", json={"request_id": request_id, "label": 0})
    unknown = api.post("/v1/feedback", json={
        "request_id": request_id_at(datetime.now(UTC) - timedelta(minutes=5)), "label": 0})

    assert gone.status_code == 410
    assert "90-day retention" in gone.json()["detail"]
    assert unknown.status_code == 404
