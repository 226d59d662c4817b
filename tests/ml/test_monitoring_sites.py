"""The shipped defaults, run over a real prediction log: other UCI sites fire, Cleveland doesn't."""

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import insert

from core.db import connect
from core.tables import Feedback, Prediction
from ml import data
from ml.monitoring import definitions, hysteresis, reference, runner
from ml.serving.fastpath import compile_scorer
from ml.serving.prediction_log import window
from ml.training import candidates
from ml.training.train import TrainingConfig, split
from tests.conftest import DATA, HEART, PROJECT_ROOT

CONFIG = TrainingConfig.from_spec(HEART)
SHIPPED = definitions.load(PROJECT_ROOT / "configs" / "monitors.yaml")
START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def champion():
    """A LogReg trained as `medic train` trains it, its scorer, and its reference."""
    cleveland = data.load_site(DATA, "cleveland", HEART)
    x_train, _x_test, y_train, _y_test = split(cleveland, CONFIG, HEART)
    model = candidates.build("logreg", CONFIG.models["logreg"], CONFIG.seed, HEART).fit(x_train,
                                                                                   y_train)
    score = compile_scorer(model)
    return score, reference.build(cleveland, score, CONFIG, HEART)


@pytest.fixture
def sessions(tmp_path):
    return connect(f"sqlite:///{tmp_path / 'medic.db'}")


def log_traffic(sessions, score, site: str, rows: int, *, start, minutes: float, seed: int,
                labelled: bool = False) -> None:
    """Log `rows` predictions resampled from a site, spread evenly over `minutes`."""
    frame = data.load_site(DATA, site, HEART)
    picked = frame.iloc[np.random.default_rng(seed).integers(0, len(frame), rows)]
    probability = score(data.features(picked, HEART).to_numpy("float64"))
    records, labels = [], []
    for i, (features, p, truth) in enumerate(zip(
            data.features(picked, HEART).to_dict("records"), probability, picked["target"],
            strict=True)):
        request_id = uuid.uuid4().hex
        records.append({"request_id": request_id, "probability": float(p),
                        "features": {k: v for k, v in features.items() if v == v},
                        "label": int(p >= 0.5), "model_version": "1", "latency_ms": 2.0,
                        "created_at": start + timedelta(minutes=minutes * i / rows)})
        labels.append({"request_id": request_id, "label": int(truth)})
    with sessions.begin() as session:
        session.execute(insert(Prediction), records)
        if labelled:
            session.execute(insert(Feedback), labels)


def checks_until(sessions, ref, count: int, *, first, every=timedelta(minutes=1)):
    """Run `count` checks a minute apart; return the (check number, monitor, event) list."""
    states, fired = {}, []
    for number in range(1, count + 1):
        results = runner.run(sessions, ref, SHIPPED, now=first + (number - 1) * every)
        states, events = hysteresis.advance(states, results, SHIPPED)
        fired += [(number, result.name, event) for result, event in events]
    return fired, results


@pytest.mark.parametrize("site", ["hungarian", "switzerland", "va"])
def test_a_few_hundred_rows_from_another_site_fire_drift_within_two_checks(
        champion, sessions, site):
    score, ref = champion
    log_traffic(sessions, score, site, 300, start=START, minutes=50, seed=1)
    fired, results = checks_until(sessions, ref, 2, first=START + timedelta(minutes=50))
    assert (2, "data_drift", "fire") in fired
    drift = next(r for r in results if r.name == "data_drift")
    assert drift.rows == 300 and drift.value >= 0.46 and drift.details["dataset_drift"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cleveland_traffic_raises_nothing(champion, sessions, seed):
    score, ref = champion
    log_traffic(sessions, score, "cleveland", 600, start=START, minutes=120, seed=seed,
                labelled=True)
    fired, results = checks_until(sessions, ref, 8, first=START + timedelta(minutes=60),
                                  every=timedelta(minutes=8))
    assert fired == []
    states = {r.name: r.state for r in results}
    assert states["data_drift"] == states["prediction_drift"] == "ok"
    assert states["performance"] == "ok" and states["estimated_performance"] == "ok"


def test_drift_resolves_when_traffic_returns_to_cleveland(champion, sessions):
    score, ref = champion
    log_traffic(sessions, score, "va", 300, start=START, minutes=60, seed=4)
    log_traffic(sessions, score, "cleveland", 600, start=START + timedelta(minutes=60),
                minutes=60, seed=5)
    states, events = {}, []
    for minute in (60, 61, 121, 122, 123):
        results = runner.run(sessions, ref, SHIPPED, now=START + timedelta(minutes=minute))
        states, happened = hysteresis.advance(states, results, SHIPPED)
        events += [(minute, r.name, e) for r, e in happened if r.name == "data_drift"]
    assert events == [(61, "data_drift", "fire"), (123, "data_drift", "resolve")]


def test_runner_reads_each_window_once_and_skips_disabled(champion, sessions):
    score, ref = champion
    log_traffic(sessions, score, "va", 150, start=START, minutes=10, seed=6)
    calls = []

    def read(sessions, minutes, *, now=None):
        calls.append(minutes)
        return window(sessions, minutes, now=now)

    chosen = definitions.MonitorDefinitions(monitors=(
        SHIPPED.get("data_drift"), SHIPPED.get("prediction_drift"),
        SHIPPED.get("latency_p99").model_copy(update={"enabled": False})))
    results = runner.run(sessions, ref, chosen, read_window=read, now=START + timedelta(
        minutes=10))
    assert calls == [60] and [r.name for r in results] == ["data_drift", "prediction_drift"]
    assert results[0].rows == 150 and set(HEART.feature_names) == {
        c["column"] for c in results[0].details["columns"]}
