"""A monitor kind is one declaration: a toy kind registered here runs, alerts and is charted."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from core.errors import ConfigError
from core.tables import AlertRecord, Incident, Prediction
from ml.monitoring import definitions
from ml.monitoring.kind import MonitorKind
from ml.monitoring.kinds import KINDS
from ml.monitoring.results import result
from services.context import open_medic
from services.monitors import run as monitors
from services.monitors import series as monitoring
from tests.conftest import make_settings
from ui.console.monitoring import render

TOY_MONITORS = """monitors:
  busy:
    kind: prediction_volume
    window_minutes: 60
    min_rows: 0
    warning: 50
    critical: 100
    fire_after: 1
    resolve_after: 1
    severity: warning
"""


def _volume(definition, window, _reference, _serving):
    """The toy kind's check: how many predictions the window holds."""
    return result(definition, rows=len(window), value=float(len(window)))


VOLUME = MonitorKind(name="prediction_volume", measures="predictions in the window",
                     check=_volume, direction="above", alert_type="system_error",
                     value_name="predictions", chart="value")


@pytest.fixture
def toy_kind(monkeypatch):
    """Register the toy kind exactly as its line in `KINDS` would."""
    monkeypatch.setitem(KINDS, VOLUME.name, VOLUME)


@pytest.fixture
def toy_medic(trained, clock, tmp_path):
    path = tmp_path / "monitors.yaml"
    path.write_text(TOY_MONITORS)
    settings = make_settings(trained[0].home, monitors_config=path)
    with open_medic(settings, clock=clock) as medic:
        yield medic


def log_predictions(medic, rows: int) -> None:
    now = medic.clock()
    with medic.sessions.begin() as session:
        session.execute(insert(Prediction), [
            {"request_id": uuid.uuid4().hex, "probability": 0.3, "label": 0, "features": {},
             "model_version": "2", "latency_ms": 2.0,
             "created_at": now - timedelta(minutes=30 * i / rows)} for i in range(rows)])


def test_an_unregistered_kind_is_refused_naming_the_known_ones(tmp_path):
    path = tmp_path / "monitors.yaml"
    path.write_text(TOY_MONITORS)
    with pytest.raises(ConfigError, match="unknown monitor kind 'prediction_volume'.*data_drift"):
        definitions.load(path)


def test_a_registered_toy_kind_runs_fires_an_alert_and_is_charted(toy_kind, toy_medic):
    log_predictions(toy_medic, 120)
    [checked] = monitors.run_checks(toy_medic)
    assert (checked.name, checked.value, checked.state) == ("busy", 120.0, "critical")
    with toy_medic.sessions() as session:
        [incident] = session.scalars(select(Incident)).all()
    alert = incident.alert
    assert alert["source"] == "monitor" and alert["type"] == "system_error"
    assert alert["labels"] == {"monitor": "busy", "kind": "prediction_volume",
                               "severity": "warning", "model": toy_medic.registry.name}
    assert alert["values"] == {"predictions": 120.0, "rows": 120.0}
    assert "predictions 120 over the last 60 min" in alert["annotations"]["summary"]

    view = monitoring.series(toy_medic, hours=6)
    [drawn] = view.values
    assert (drawn.monitor, drawn.value_name, drawn.checks) == ("busy", "predictions", 1)
    assert drawn.values[-1] == 120.0 and drawn.values[:-1] == [None] * 23
    assert [m.name for m in view.monitors if m.firing] == ["busy"]
    page = render(view.model_dump())
    assert "busy: predictions (1 checks)" in page and "<polyline" not in page.split("busy:")[0]


def test_a_quiet_window_resolves_the_toy_monitor_into_its_incident(toy_kind, toy_medic, clock):
    log_predictions(toy_medic, 120)
    monitors.run_checks(toy_medic)
    clock.advance(hours=2)  # the 120 predictions left the window
    [checked] = monitors.run_checks(toy_medic)
    assert (checked.value, checked.state) == (0.0, "ok")
    with toy_medic.sessions() as session:
        sent = session.execute(select(AlertRecord.incident_id, AlertRecord.status)
                               .order_by(AlertRecord.id)).all()
    assert [status for _, status in sent] == ["firing", "resolved"]
    assert len({incident for incident, _ in sent}) == 1
