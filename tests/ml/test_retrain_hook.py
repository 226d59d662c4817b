"""An external model's retrain hook: the labelled window exported, a signed request, bounded
retries, and a clear outcome when it cannot be sent."""

import hashlib
import hmac
import json
import socket
from datetime import timedelta

import pandas as pd
import pytest
import yaml
from sqlalchemy import insert

from core.audit_seal import Seal
from core.clock import utcnow
from core.db import connect
from core.errors import ConfigError
from core.tables import Feedback, Prediction
from ml import spec as specs
from ml.training.hook import request_retrain
from tests.conftest import PROJECT_ROOT
from tests.receiver import Receiver, receiving

SECRET = "shared-with-the-team"
RIDE = {"season": "spring", "hr": "6am", "holiday": "No", "weekday": None, "workingday": "Yes",
        "weathersit": None, "temp": 8.2, "atemp": 6.0, "hum": 70.0, "windspeed": 11.0}


def _external(url: str, **hook) -> specs.ModelSpec:
    """bike-demand's spec as a model trained elsewhere, with its retrain hook at `url`."""
    raw = yaml.safe_load((PROJECT_ROOT / "configs" / "models" / "bike-demand.yaml").read_text())
    raw |= {"name": "city-bikes", "training": {"external": True, "hook_url": url,
                                                "secret_env": "BIKES_HOOK_SECRET", **hook}}
    return specs.parse(raw, "city-bikes.yaml")


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request, settings):
    """The app database (SQLite, PostgreSQL) with four city-bikes predictions: two labelled
    in the window, one labelled long ago, one never labelled."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" \
        else settings.database_url
    made = connect(url, seal=Seal.of(settings))
    now = utcnow()
    logged = [("in-1", {**RIDE, "hr": "5pm"}, 410.0, 402, now - timedelta(hours=2)),
              ("in-2", RIDE, 35.0, 31, now - timedelta(hours=1)),
              ("old", RIDE, 30.0, 28, now - timedelta(days=60)),
              ("unlabelled", RIDE, 33.0, None, now - timedelta(minutes=5))]
    with made.begin() as session:
        session.execute(insert(Prediction), [
            {"model": "city-bikes", "request_id": rid, "features": features,
             "probability": predicted, "label": 0, "model_version": "4", "latency_ms": 3.0,
             "created_at": at} for rid, features, predicted, _label, at in logged])
        session.execute(insert(Feedback), [
            {"model": "city-bikes", "request_id": rid, "label": label, "received_at": at}
            for rid, _features, _predicted, label, at in logged if label is not None])
    return made


def test_the_hook_posts_a_signed_request_naming_the_exported_labelled_window(
        settings, sessions, monkeypatch):
    monkeypatch.setenv("BIKES_HOOK_SECRET", SECRET)
    with receiving() as url:
        outcome = request_retrain(settings, _external(url), incident_id=12, actor="medic agent",
                                  sessions=sessions)
        [(headers, body)] = Receiver.got
    assert (outcome.text, outcome.rows, outcome.attempts) == ("sent", 2, 1)
    stamp = headers["X-Medic-Timestamp"]
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    assert headers["X-Medic-Signature"] == "sha256=" + expected.hexdigest()
    assert headers["X-Medic-Event"] == "retrain_requested"
    sent = json.loads(body)
    assert (sent["model"], sent["incident_id"], sent["requested_by"], sent["task"]) == \
        ("city-bikes", 12, "medic agent", "regression")
    assert sent["data"]["label"] == "cnt" and sent["data"]["rows"] == 2
    since, until = (pd.Timestamp(sent["data"]["window"][k]) for k in ("since", "until"))
    assert until - since == timedelta(days=30)  # configs/retrain.yaml's window
    exported = pd.read_csv(sent["data"]["path"], keep_default_na=False, na_values=[""])
    assert exported["cnt"].tolist() == [402, 31]  # oldest first; the old and unlabelled not
    assert exported["hr"].tolist() == ["5pm", "6am"]  # as callers sent them
    assert exported["prediction"].tolist() == [410.0, 35.0]
    assert exported["weathersit"].isna().all()
    assert outcome.file == settings.home / "exports" / outcome.file.name
    assert oct(outcome.file.stat().st_mode & 0o777) == "0o600"
    assert SECRET not in body.decode()


def test_a_busy_receiver_is_retried_and_a_refusing_one_is_not(settings, sessions, monkeypatch):
    monkeypatch.setenv("BIKES_HOOK_SECRET", SECRET)
    with receiving() as url:
        Receiver.answers = [503]
        busy = request_retrain(settings, _external(url), incident_id=3, actor="a",
                               sessions=sessions)
        assert (busy.text, busy.attempts, len(Receiver.got)) == ("sent", 2, 2)
        first, second = (h["X-Medic-Delivery"] for h, _ in Receiver.got)
        assert first == second  # the receiver can tell a retry from a new request
        Receiver.answers, Receiver.got = [400], []
        refused = request_retrain(settings, _external(url), incident_id=3, actor="a",
                                  sessions=sessions)
    assert (refused.text, refused.attempts) == ("failed: the receiver answered 400", 1)


def test_no_receiver_no_secret_or_no_hook_is_a_failed_outcome_saying_why(
        settings, sessions, monkeypatch):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    nobody = _external(f"http://127.0.0.1:{port}/retrain", attempts=2, timeout_seconds=1)
    unset = request_retrain(settings, nobody, incident_id=1, actor="a", sessions=sessions)
    assert unset.text == ("failed: environment variable BIKES_HOOK_SECRET (the hook's secret) "
                          "is not set") and unset.file is None
    monkeypatch.setenv("BIKES_HOOK_SECRET", SECRET)
    away = request_retrain(settings, nobody, incident_id=1, actor="a", sessions=sessions)
    assert away.text == "failed: no answer (ConnectError) after 2 attempts"
    assert away.rows == 2 and away.file.is_file()  # the window is kept for a later try

    heart = specs.load(PROJECT_ROOT / "configs" / "models" / "heart-disease.yaml")
    assert request_retrain(settings, heart, incident_id=1, actor="a").text == \
        "failed: heart-disease: Medic retrains it itself"
    raw = yaml.safe_load((PROJECT_ROOT / "configs" / "models" / "bike-demand.yaml").read_text())
    hookless = specs.parse({**raw, "training": "external"}, "bike-demand.yaml")
    assert request_retrain(settings, hookless, incident_id=1, actor="a").text.startswith(
        "failed: bike-demand: its spec names no retrain hook")


@pytest.mark.parametrize(("training", "problem"), [
    ({"external": True, "hook_url": "ftp://x", "secret_env": "S"}, "training.hook_url"),
    ({"external": True, "hook_url": "https://ci.example/h"}, "training.secret_env"),
    ({"external": False, "hook_url": "https://ci.example/h", "secret_env": "S"},
     "training.external"),
    ({"external": True, "hook_url": "https://ci.example/h", "secret_env": "S", "attempts": 50},
     "training.attempts"),
])
def test_a_bad_hook_names_its_field(training, problem):
    raw = yaml.safe_load((PROJECT_ROOT / "configs" / "models" / "bike-demand.yaml").read_text())
    with pytest.raises(ConfigError, match=problem):
        specs.parse({**raw, "training": training}, "bike-demand.yaml")


def test_a_model_with_a_hook_is_still_one_medic_never_trains():
    from ml.training.config import TrainingConfig

    hooked = _external("https://ci.example/h")
    assert hooked.external and hooked.hook.attempts == 3
    with pytest.raises(ConfigError, match="city-bikes is trained outside Medic"):
        TrainingConfig.from_spec(hooked)
    assert TrainingConfig.splitting(hooked).test_size == hooked.reference.split.test_size
