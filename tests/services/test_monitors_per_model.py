"""Every model is monitored on its own: its rows, reference, spec thresholds and incidents.

A home holds heart-disease (the session's trained classifier) and bike-demand (a light
regressor trained on January to March 2011). Bike rows from June 2011, logged through the
prediction-log writer with their counted rentals as feedback, are busier and warmer than
anything the regressor learnt from: they fire bike-demand's data drift and MAE, and touch
nothing of heart-disease's.
"""

import json
import shutil
import uuid
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
import yaml
from sqlalchemy import insert, select
from typer.testing import CliRunner

from core.settings import PROJECT_ROOT
from core.tables import Feedback, Incident
from ml import data
from ml.serving.fastpath import compile_scorer
from ml.serving.prediction_log import PredictionLog
from services.context import open_medic
from services.monitors import run as monitors
from services.monitors import series as monitoring
from tests.conftest import BIKE, DATA, HEART, LIGHT, make_settings  # noqa: F401  (re-exported)


@pytest.fixture(scope="module")
def two_models(two_models_home):
    """The trained heart-disease home with a bike-demand champion beside it (read-only)."""
    return two_models_home[0]


@pytest.fixture
def home(two_models, tmp_path):
    copied = tmp_path / "medic"
    shutil.copytree(two_models, copied)
    return copied


@pytest.fixture
def later(home, clock):
    """The clock an hour after bike-demand's champion was made: its rows all come after."""
    clock.advance(hours=1)
    return clock


@pytest.fixture
def opened(home, later):
    clock = later
    with open_medic(make_settings(home), clock=clock) as medic:
        yield medic


def bike_rows(month: str) -> pd.DataFrame:
    """The hours of one month of 2011, as the CSV has them, in time order."""
    frame = data.load(DATA / BIKE.reference.file, BIKE)
    start = pd.Timestamp(f"2011-{month}-01")
    return frame[(frame["dteday"] >= start) & (frame["dteday"] < start + pd.DateOffset(months=1))]


def log_bike(medic, month: str, rows: int = 200) -> None:
    """Log `rows` of the month's hours through the prediction-log writer, each with its count."""
    from services.watched import registry_of

    registry = registry_of(medic, "bike-demand")
    version = registry.champion_artifact().version
    picked = bike_rows(month).head(rows)
    features = data.features(picked, BIKE)
    predicted = registry.load(version).predict(features)
    now, ids = medic.clock(), [uuid.uuid4().hex for _ in range(len(picked))]
    writer = PredictionLog(medic.sessions)
    for i, (rid, row, value) in enumerate(zip(ids, features.to_dict("records"), predicted,
                                              strict=True)):
        writer.add({"request_id": rid, "model": "bike-demand",
                    "features": {k: v for k, v in row.items() if v is not None and v == v},
                    "probability": float(value), "label": int(round(value)),
                    "model_version": version, "latency_ms": 3.0,
                    "created_at": now - timedelta(minutes=30 * i / len(picked))})
    writer.close()
    with medic.sessions.begin() as session:
        session.execute(insert(Feedback), [
            {"request_id": rid, "model": "bike-demand", "label": int(count)}
            for rid, count in zip(ids, picked["cnt"], strict=True)])


def log_heart(medic, site: str, rows: int = 150) -> None:
    """Log `rows` patients resampled from a UCI site, scored by heart-disease's champion."""
    frame = data.load_site(DATA, site, HEART)
    picked = data.features(
        frame.iloc[np.random.default_rng(0).integers(0, len(frame), rows)], HEART)
    probability = compile_scorer(medic.registry.load("champion"))(picked.to_numpy("float64"))
    now = medic.clock()
    writer = PredictionLog(medic.sessions)
    for i, (row, p) in enumerate(zip(picked.to_dict("records"), probability, strict=True)):
        writer.add({"request_id": uuid.uuid4().hex, "model": "heart-disease",
                    "features": {k: v for k, v in row.items() if v == v},
                    "probability": float(p), "label": int(p >= 0.5), "model_version": "2",
                    "latency_ms": 2.0, "created_at": now - timedelta(minutes=30 * i / rows)})
    writer.close()


def by_model(results) -> dict[str, dict]:
    grouped: dict[str, dict] = {}
    for result in results:
        grouped.setdefault(result.model, {})[result.name] = result
    return grouped


def incidents(medic) -> list[Incident]:
    with medic.sessions() as session:
        return list(session.scalars(select(Incident).order_by(Incident.id)))


def test_june_hours_fire_bike_demands_drift_and_mae_and_leave_heart_disease_alone(opened):
    log_heart(opened, "cleveland")
    log_bike(opened, "06")
    for _ in range(2):  # data drift fires on its second breach
        checked = by_model(monitors.run_checks(opened))

    bike, heart = checked["bike-demand"], checked["heart-disease"]
    assert bike["data_drift"].state == "critical" and bike["data_drift"].rows == 200
    drifted = bike["data_drift"].details["drifted"]
    assert "temp" in drifted and "season" in drifted  # a text category is tested too
    mae = bike["performance"]
    assert mae.value_name == "mae" and mae.direction == "above"
    assert (mae.warning, mae.critical) == (60, 90)  # bike-demand.yaml's, not monitors.yaml's
    assert mae.state == "critical", (mae.note, mae.details)
    assert mae.value > 90 and mae.values["rmse"] >= mae.value
    predicted = bike["prediction_drift"]  # the predicted values against the hold-out's
    assert [c["column"] for c in predicted.details["columns"]] == ["prediction"]
    assert predicted.values["mean_prediction"] > predicted.values["reference_mean_prediction"]
    assert "estimated_performance" not in bike  # no probabilities to estimate from
    assert {"error_rate", "load_failures"}.isdisjoint(bike)  # the API counts the default's

    assert heart["data_drift"].state == "ok" and heart["data_drift"].rows == 150
    assert heart["performance"].state == "insufficient_data"
    assert heart["performance"].value_name == "f1"

    [incident] = incidents(opened)  # bike-demand's drift and MAE: one cause, one incident
    assert incident.model == "bike-demand"
    assert incident.alert["labels"]["model"] == "bike-demand"
    assert incident.alert["annotations"]["summary"].startswith("bike-demand: ")
    assert {m.name for m in monitoring.latest(opened.sessions, model="heart-disease")
            if m.firing} == set()
    firing = {m.name: m for m in monitoring.latest(opened.sessions, model="bike-demand")
              if m.firing}
    assert {"data_drift", "performance"} <= set(firing)
    assert all(m.incident == incident.id for m in firing.values())
    assert incident.alert_count == len(firing)  # each alert joined the model's one incident


def test_a_bike_alert_never_joins_heart_diseases_open_incident(opened, later):
    clock = later
    log_heart(opened, "va")
    for _ in range(2):
        monitors.run_checks(opened, model="heart-disease")
    [heart] = incidents(opened)
    assert heart.model == "heart-disease"

    log_bike(opened, "06")
    for _ in range(2):
        monitors.run_checks(opened)
    found = incidents(opened)
    assert [i.model for i in found] == ["heart-disease", "bike-demand"]
    assert found[0].alert_count == heart.alert_count  # nothing of bike-demand's joined it
    # each model's red monitors name that model's own incident, in chat and the list
    from services import chat
    from services import incidents as listed

    said = chat.ask(opened, "how is bike doing?").answer
    assert "data_drift critical (drift_share" in said and f"incident {found[1].id})" in said
    assert f"incident {found[0].id})" not in said, said
    heart_said = chat.ask(opened, "is the model ok?").answer  # the default: heart-disease
    assert "data_drift critical (drift_share" in heart_said
    assert f"incident {found[0].id})" in heart_said
    assert f"incident {found[1].id})" not in heart_said, heart_said
    assert [(i.id, i.model) for i in listed.listing(opened)] == [
        (found[1].id, "bike-demand"), (found[0].id, "heart-disease")]

    clock.advance(hours=2)  # both windows empty, then heart-disease alone sees normal rows
    log_heart(opened, "cleveland")
    for _ in range(3):
        checked = by_model(monitors.run_checks(opened))
    assert checked["heart-disease"]["data_drift"].state == "ok"
    assert checked["bike-demand"]["data_drift"].state == "insufficient_data"
    states = {m.model: {n.name: n.firing for n in m.monitors}
              for m in monitoring.status(opened)}
    assert states["heart-disease"]["data_drift"] is False
    assert states["bike-demand"]["data_drift"] is True  # no rows is not a recovery


def test_the_thresholds_applied_are_the_specs(home, later, tmp_path):
    clock = later
    folder = tmp_path / "models"
    shutil.copytree(PROJECT_ROOT / "configs" / "models", folder)
    with open_medic(make_settings(home), clock=clock) as medic:
        log_bike(medic, "06")
        before = by_model(monitors.run_checks(medic))["bike-demand"]["performance"]
    assert before.state == "critical"

    bike = yaml.safe_load((folder / "bike-demand.yaml").read_text())
    bike["monitoring"]["performance"] = {"metric": "mae", "warning": before.value + 50,
                                         "critical": before.value + 100}
    bike["monitoring"]["thresholds"] = {"data_drift": {"warning": 0.95, "critical": 1.0}}
    (folder / "bike-demand.yaml").write_text(yaml.safe_dump(bike, sort_keys=False))
    with open_medic(make_settings(home, models_dir=folder), clock=clock) as medic:
        after = by_model(monitors.run_checks(medic))["bike-demand"]
    assert after["performance"].value == pytest.approx(before.value)
    assert after["performance"].state == "ok"
    assert after["data_drift"].critical == 1.0 and after["data_drift"].state != "critical"


def test_medic_monitor_status_shows_one_model_or_all(home, monkeypatch, later):
    clock = later
    from cli.main import app

    with open_medic(make_settings(home), clock=clock) as medic:
        log_bike(medic, "06", rows=120)
        monitors.run_checks(medic)
    monkeypatch.setenv("MEDIC_HOME", str(home))
    runner = CliRunner()
    one = runner.invoke(app, ["monitor", "status", "--model", "bike-demand", "--json"])
    assert one.exit_code == 0, one.output
    [group] = json.loads(one.output)
    assert group["model"] == "bike-demand" and not group["default"]
    assert {m["name"] for m in group["monitors"]} >= {"data_drift", "performance"}
    assert all(m["model"] == "bike-demand" for m in group["monitors"])

    every = runner.invoke(app, ["monitor", "status", "--json"])
    assert [g["model"] for g in json.loads(every.output)] == [
        "bike-demand", "heart-disease"]
    shown = runner.invoke(app, ["monitor", "status"])
    assert "bike-demand monitors" in shown.output and "heart-disease monitors (default)" \
        in shown.output
    unknown = runner.invoke(app, ["monitor", "status", "--model", "nope"])
    assert unknown.exit_code == 1
    assert "unknown model 'nope'; known: bike-demand, heart-disease" in unknown.output
