"""Monitors judge the model being served: its own rows, its own training set, its own incident."""

import uuid
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import insert, select

from core.incidents import close
from core.tables import AlertRecord, Feedback, Incident, Prediction
from ml import data
from ml.serving.fastpath import compile_scorer
from services.context import open_medic
from services.monitors import run as monitors
from services.overview import overview
from tests.conftest import DATA, HEART


@pytest.fixture
def opened(trained, clock):
    with open_medic(trained[0], clock=clock) as medic:
        yield medic


def log_labelled(medic, version: str, rows: int, *, right: bool, minutes_ago: float = 0,
                 site: str = "cleveland", seed: int = 0) -> None:
    """Log `rows` labelled predictions by `version`, right or wrong, ending `minutes_ago`."""
    frame = data.load_site(DATA, site, HEART)
    picked = frame.iloc[np.random.default_rng(seed).integers(0, len(frame), rows)]
    truth = picked[data.LABEL].to_numpy()
    label = truth if right else 1 - truth
    end = medic.clock() - timedelta(minutes=minutes_ago)
    ids = [uuid.uuid4().hex for _ in range(rows)]
    with medic.sessions.begin() as session:
        session.execute(insert(Prediction), [
            {"request_id": rid, "probability": float(y), "label": int(y),
             "features": {k: v for k, v in f.items() if v == v}, "model_version": version,
             "latency_ms": 2.0, "created_at": end - timedelta(minutes=10 * i / rows)}
            for i, (rid, f, y) in enumerate(zip(
                ids, data.features(picked, HEART).to_dict("records"), label, strict=True))])
        session.execute(insert(Feedback), [
            {"request_id": rid, "label": int(t), "received_at": end}
            for rid, t in zip(ids, truth, strict=True)])


def log_site(medic, site: str, rows: int, version: str) -> None:
    """Log `rows` unlabelled predictions of patients resampled from a site, scored by `version`."""
    frame = data.load_site(DATA, site, HEART)
    picked = data.features(
        frame.iloc[np.random.default_rng(1).integers(0, len(frame), rows)], HEART)
    probability = compile_scorer(medic.registry.load(version))(picked.to_numpy("float64"))
    now = medic.clock()
    with medic.sessions.begin() as session:
        session.execute(insert(Prediction), [
            {"request_id": uuid.uuid4().hex, "probability": float(p), "label": int(p >= 0.5),
             "features": {k: v for k, v in f.items() if v == v}, "model_version": version,
             "latency_ms": 2.0, "created_at": now - timedelta(minutes=30 * i / rows)}
            for i, (f, p) in enumerate(zip(picked.to_dict("records"), probability,
                                           strict=True))])


def performance(results):
    return next(r for r in results if r.name == "performance")


def incidents(medic) -> list[Incident]:
    with medic.sessions() as session:
        return list(session.scalars(select(Incident).order_by(Incident.id)))


def test_performance_judges_the_champion_on_its_own_rows_since_it_became_champion(
        opened, clock):
    registry = opened.registry
    registry.rollback(expected="2", actor="test", reason="v1 serves a while")
    log_labelled(opened, "1", 80, right=False, minutes_ago=60)  # v1 was poor
    log_labelled(opened, "2", 80, right=False, minutes_ago=300)  # v2's rows from its first stint
    clock.advance(minutes=1)
    registry.promote("2", expected="1", actor="test", reason="v2 is champion again")
    clock.advance(minutes=30)
    log_labelled(opened, "2", 60, right=True, seed=1)  # v2 since it became champion: right

    checked = performance(monitors.run_checks(opened))

    assert checked.state == "ok" and checked.value == 1.0
    assert checked.details["model_version"] == "2" and checked.values["labelled_rows"] == 60
    assert incidents(opened) == []  # the retired version's rows raised nothing


def test_a_monitor_resolves_into_its_incident_once_the_new_champion_does_well(opened, clock):
    clock.advance(minutes=30)  # v2 has been champion a while
    log_labelled(opened, "2", 60, right=False)
    monitors.run_checks(opened)
    [incident] = incidents(opened)
    shown = next(m for m in overview(opened).monitors if m.name == "performance")
    assert (shown.state, shown.firing) == ("critical", True)
    assert (shown.incident, shown.incident_state) == (incident.id, "open")

    clock.advance(minutes=1)
    opened.registry.rollback(expected="2", actor="test", reason="back to v1")
    clock.advance(minutes=20)
    log_labelled(opened, "1", 60, right=True, seed=2)
    for _ in range(2):  # resolve_after: 2
        checked = performance(monitors.run_checks(opened))
    assert checked.state == "ok" and checked.details["model_version"] == "1"
    with opened.sessions() as session:
        statuses = list(session.scalars(select(AlertRecord.status)
                                        .where(AlertRecord.incident_id == incident.id)))
    assert statuses == ["firing", "resolved"]
    shown = next(m for m in overview(opened).monitors if m.name == "performance")
    assert (shown.state, shown.firing, shown.incident) == ("ok", False, None)


def test_a_monitor_still_breaching_after_its_incident_closed_opens_a_new_one(opened, clock):
    clock.advance(minutes=30)  # v2 has been champion a while
    log_labelled(opened, "2", 60, right=False)
    monitors.run_checks(opened)
    [first] = incidents(opened)
    with opened.sessions.begin() as session:  # e.g. settled "fixed" on other rows
        close(session, session.get(Incident, first.id), "resolved", "fixed: elsewhere",
              actor="test", now=clock())
    clock.advance(minutes=5)

    monitors.run_checks(opened)  # still critical: red again only with an open incident

    [_, second] = incidents(opened)
    assert second.state == "open" and second.alert["labels"]["monitor"] == "performance"
    shown = next(m for m in overview(opened).monitors if m.name == "performance")
    assert (shown.incident, shown.incident_state) == (second.id, "open")


def test_data_drift_compares_with_the_training_set_stored_with_the_champion(opened, tmp_path):
    import mlflow

    from ml.registry import tracking
    from ml.training import candidates
    from ml.training.snapshot import SOURCE, remember, snapshot

    va = data.load_site(DATA, "va", HEART)
    va = va.assign(**{data.LABEL: va[data.LABEL].astype("int64")})
    log_site(opened, "va", 200, version="2")
    before = {r.name: r for r in monitors.run_checks(opened)}["data_drift"]
    assert before.state == "critical"  # VA against Cleveland's training split

    pipeline = candidates.build("logreg", {"max_iter": 2000}, 0, HEART)
    pipeline.fit(data.features(va, HEART), va[data.LABEL])
    tracking.configure(opened.settings)
    with mlflow.start_run(run_name="va"):
        info = tracking.log_model(pipeline, signature=None, input_example=None)
    registry = opened.registry
    version = registry.register(info.model_uri, model_type="logreg")
    learnt = snapshot(va.assign(**{SOURCE: "production"}), tmp_path / "sets", HEART)
    remember(registry.sessions, registry.name, version, learnt)
    registry.promote(version, expected="2", actor="test", reason="trained on VA")
    log_site(opened, "va", 200, version=version)

    after = {r.name: r for r in monitors.run_checks(opened)}["data_drift"]

    assert after.state == "ok" and after.value < before.value


def test_a_monitor_whose_incident_went_to_people_stays_with_it(opened, clock):
    clock.advance(minutes=30)
    log_labelled(opened, "2", 60, right=False)
    monitors.run_checks(opened)
    [first] = incidents(opened)
    with opened.sessions.begin() as session:
        close(session, session.get(Incident, first.id), "escalated", "a person decides",
              actor="test", now=clock())
    clock.advance(minutes=5)

    monitors.run_checks(opened)

    assert [i.id for i in incidents(opened)] == [first.id]  # no second incident for it
    shown = next(m for m in overview(opened).monitors if m.name == "performance")
    assert (shown.state, shown.incident, shown.incident_state) == (
        "critical", first.id, "escalated")
