"""Monitors on a real registry and prediction log: checks, alerts, incidents, the CLI, schedule."""

import json
import uuid
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from cli.main import app
from core.monitor_tables import MonitorResultRecord
from core.tables import AlertRecord, Incident, Prediction
from ml import data
from ml.monitoring.health import ServingCounts
from ml.serving.fastpath import compile_scorer
from services import watched
from services.context import open_medic
from services.monitors import run as monitors
from tests.conftest import DATA, HEART

CHILD_SECONDS = 180  # a fresh child imports pandas and SciPy; slow on a loaded machine


@pytest.fixture
def opened(trained, clock):
    with open_medic(trained[0], clock=clock) as medic:
        yield medic


def log_site(medic, site: str, rows: int, *, seed: int = 0) -> None:
    """Log `rows` predictions of patients resampled from a UCI site, over the last 30 min."""
    frame = data.load_site(DATA, site, HEART)
    picked = data.features(
        frame.iloc[np.random.default_rng(seed).integers(0, len(frame), rows)], HEART)
    probability = compile_scorer(medic.registry.load("champion"))(picked.to_numpy("float64"))
    now = medic.clock()
    records = [{"request_id": uuid.uuid4().hex, "probability": float(p), "label": int(p >= 0.5),
                "features": {k: v for k, v in features.items() if v == v},
                "model_version": "2", "latency_ms": 2.0,
                "created_at": now - timedelta(minutes=30 * i / rows)}
               for i, (features, p) in enumerate(zip(picked.to_dict("records"), probability,
                                                     strict=True))]
    with medic.sessions.begin() as session:
        session.execute(insert(Prediction), records)


def incidents(medic) -> list[Incident]:
    with medic.sessions() as session:
        return list(session.scalars(select(Incident).order_by(Incident.id)))


def test_cleveland_traffic_fires_nothing_and_every_result_is_kept(opened):
    log_site(opened, "cleveland", 150)
    for _ in range(3):
        results = monitors.run_checks(opened)
    drift = next(r for r in results if r.name == "data_drift")
    assert drift.rows == 150 and drift.state == "ok"
    assert incidents(opened) == []
    with opened.sessions() as session:
        kept = {r.name: r.result for r in session.scalars(select(MonitorResultRecord))}
    assert kept.keys() == {r.name for r in results}
    assert kept["data_drift"]["value"] == drift.value


def test_va_drift_opens_an_incident_with_its_report_then_resolves(opened, clock):
    log_site(opened, "va", 200)
    first = {r.name: r for r in monitors.run_checks(opened)}
    assert first["data_drift"].state in ("warning", "critical")
    assert incidents(opened) == []  # fires on the second breach, not the first
    monitors.run_checks(opened)
    [incident] = incidents(opened)
    alert = incident.alert
    assert alert["source"] == "monitor" and alert["status"] == "firing"
    assert alert["labels"] == {"monitor": "data_drift", "kind": "data_drift",
                               "severity": "high", "model": opened.registry.name}
    assert alert["values"]["drift_share"] == first["data_drift"].value
    assert alert["values"]["rows"] == 200 and alert["evidence"]["window_minutes"] == 60
    link = alert["annotations"]["report"]
    name = link.removeprefix(f"{monitors.REPORTS_ROUTE}/")
    report = monitors.report_path(opened, name)
    assert "<html" in report.read_text()[:2000].lower()

    monitors.run_checks(opened)  # still drifting: the monitor already fired, no new alert
    assert [i.alert_count for i in incidents(opened)] == [1]

    clock.advance(hours=2)  # VA leaves the window; Cleveland traffic comes back
    log_site(opened, "cleveland", 150)
    for _ in range(3):
        monitors.run_checks(opened)
    [closed] = incidents(opened)
    assert closed.state == "closed" and closed.open_key is None
    with opened.sessions() as session:
        statuses = list(session.scalars(select(AlertRecord.status)
                                        .where(AlertRecord.incident_id == closed.id)))
    assert statuses == ["firing", "resolved"]


def test_the_alert_is_stored_before_its_report_and_a_failed_report_costs_it_nothing(
        opened, monkeypatch, caplog):
    import dataclasses

    from ml.monitoring.kinds import KINDS

    seen = []

    def failing(reference, window, path):
        seen.append([i.id for i in incidents(opened)])  # what a reader sees meanwhile
        raise RuntimeError("Evidently could not draw it")

    monkeypatch.setitem(KINDS, "data_drift", dataclasses.replace(KINDS["data_drift"],
                                                                 report=failing))
    log_site(opened, "va", 200)
    monitors.run_checks(opened)
    monitors.run_checks(opened)
    [incident] = incidents(opened)
    assert seen == [[incident.id]]  # the incident was open while the report was written
    name = incident.alert["annotations"]["report"].removeprefix(f"{monitors.REPORTS_ROUTE}/")
    assert not (monitors.reports_dir(opened) / name).exists()
    assert "its report of record could not be written (RuntimeError)" in caplog.text


def test_a_report_name_outside_the_pattern_is_not_found(opened):
    from core.errors import NotFound

    folder = monitors.reports_dir(opened)
    folder.mkdir(parents=True, exist_ok=True)
    (opened.settings.home / "secret.html").write_text("no")
    for name in ("../secret.html", "data_drift-20261127T010000.html", "x.html", "..%2f"):
        with pytest.raises(NotFound):
            monitors.report_path(opened, name)


def test_the_schedule_runs_the_checks_once_per_interval(opened, clock):
    tick = monitors.scheduled(opened)
    other_worker = monitors.scheduled(opened)
    try:
        tick()
        assert tick.wait(CHILD_SECONDS)
        with opened.sessions() as session:
            first = session.scalars(select(MonitorResultRecord.checked_at)).first()
        assert first == clock()
        other_worker()  # same interval: nothing to do
        clock.advance(seconds=opened.settings.monitor_interval_seconds - 1)
        tick()
        assert tick.wait(CHILD_SECONDS) and other_worker.wait(CHILD_SECONDS)
        with opened.sessions() as session:
            assert set(session.scalars(select(MonitorResultRecord.checked_at))) == {first}
        clock.advance(seconds=2)
        other_worker()
        assert other_worker.wait(CHILD_SECONDS)
        with opened.sessions() as session:
            assert set(session.scalars(select(MonitorResultRecord.checked_at))) == {clock()}
    finally:
        tick.close()
        other_worker.close()


def test_scheduled_checks_run_in_a_child_that_saves_results_and_raises_the_alert(opened, clock):
    log_site(opened, "va", 200)
    counts = []  # the API's counts are read in this process, before the child starts
    tick = monitors.scheduled(opened, serving=lambda minutes, model: counts.append(
        (minutes, model)) or ServingCounts(requests=40, errors=10, load_failures=2))
    try:
        for _ in range(2):  # data drift fires on its second breach
            tick()
            assert tick.running  # the tick handed the checks over and returned
            assert tick.wait(CHILD_SECONDS)
            clock.advance(seconds=opened.settings.monitor_interval_seconds)
    finally:
        tick.close()
    # error_rate's and load_failures' windows, of every known model, twice
    assert sorted(counts) == sorted([(minutes, model) for minutes in (5, 15)
                                     for model in watched.known(opened)] * 2)
    with opened.sessions() as session:
        kept = {r.name: r.result for r in session.scalars(select(MonitorResultRecord))}
    assert kept["error_rate"]["value"] == 0.25 and kept["load_failures"]["value"] == 2.0
    assert kept["data_drift"]["state"] in ("warning", "critical")
    with opened.sessions() as session:
        fired = {r.payload["labels"]["monitor"]: (r.incident_id, r.payload)
                 for r in session.scalars(select(AlertRecord)) if r.status == "firing"}
    assert fired.keys() == {"data_drift", "error_rate", "load_failures"}
    # one model, one window: the three monitors' alerts join one incident (correlated)
    assert len({incident_id for incident_id, _ in fired.values()}) == len(incidents(opened)) == 1
    _, drift = fired["data_drift"]
    assert drift["source"] == "monitor" and drift["values"]["rows"] == 200
    name = drift["annotations"]["report"].removeprefix(f"{monitors.REPORTS_ROUTE}/")
    assert "<html" in monitors.report_path(opened, name).read_text()[:2000].lower()


def test_a_check_without_the_apis_counts_leaves_the_serving_monitors_as_the_server_saw_them(
        opened, clock):
    log_site(opened, "cleveland", 40)
    tick = monitors.scheduled(opened, serving=lambda minutes, model: ServingCounts(
        requests=200, errors=0, load_failures=0))
    try:
        tick()
        assert tick.wait(CHILD_SECONDS)
    finally:
        tick.close()
    clock.advance(seconds=30)
    checked = monitors.run_checks(opened)  # `medic monitor run`: its own process, no counts
    assert {"error_rate", "load_failures"}.isdisjoint(r.name for r in checked)
    assert "data_drift" in {r.name for r in checked}
    with opened.sessions() as session:
        kept = {r.name: r.result for r in session.scalars(select(MonitorResultRecord))}
    assert kept["error_rate"]["rows"] == 200 and kept["error_rate"]["value"] == 0.0


def test_medic_monitor_run_prints_the_table_and_json(trained, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(trained[0].home))
    runner = CliRunner()
    shown = runner.invoke(app, ["monitor", "run"])
    assert shown.exit_code == 0, shown.output
    for word in ("monitor", "window", "rows", "threshold", "state", "data_drift",
                 "insufficient_data"):
        assert word in shown.output
    # the API's request counts are not in this process: said, not shown as 0 requests
    assert "error_rate, load_failures: counted by the API" in shown.output
    assert "error_rate " not in shown.output.split("rows: in the window")[0]
    as_json = runner.invoke(app, ["monitor", "run", "--json"])
    results = json.loads(as_json.output)
    assert {r["name"] for r in results} >= {"data_drift", "performance"}
    assert all(r["rows"] == 0 for r in results if r["kind"] == "data_drift")
