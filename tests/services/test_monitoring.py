"""The monitoring series: real predictions, labels and monitor checks, SQLite and PostgreSQL."""

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import func, insert, select

from core import monitor_states, rollup
from core.errors import DataError
from core.tables import Feedback, Prediction
from core.watch_tables import MonitorHistoryRecord
from ml import data
from ml.fastpath import compile_scorer
from ml.schema import LABEL
from services import monitoring, monitors
from services.context import open_medic
from tests.conftest import DATA, make_settings


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def opened(request, trained, clock):
    settings = trained[0]
    if request.param == "postgres":
        settings = make_settings(settings.home,
                                 database_url=request.getfixturevalue("postgres_url"))
    with open_medic(settings, clock=clock) as medic:
        yield medic


def serve(medic, site: str, rows: int, *, labelled: int = 0, seed: int = 0) -> None:
    """Log `rows` predictions of a UCI site over the 30 minutes before the clock's now.

    The first `labelled` of them get their true label as feedback.
    """
    frame = data.load_site(DATA, site)
    picked = frame.iloc[np.random.default_rng(seed).integers(0, len(frame), rows)]
    features = data.features(picked)
    probability = compile_scorer(medic.registry.load("champion"))(features.to_numpy("float64"))
    now, ids = medic.clock(), [uuid.uuid4().hex for _ in range(rows)]
    records = [{"request_id": ids[i], "probability": float(p), "label": int(p >= 0.5),
                "features": {k: v for k, v in row.items() if v == v}, "model_version": "2",
                "latency_ms": 2.0, "created_at": now - timedelta(minutes=30 * i / rows)}
               for i, (row, p) in enumerate(zip(features.to_dict("records"), probability,
                                                strict=True))]
    truth = picked[LABEL].to_numpy("int64")
    with medic.sessions.begin() as session:
        session.execute(insert(Prediction), records)
        if labelled:
            session.execute(insert(Feedback), [{"request_id": ids[i], "label": int(truth[i])}
                                               for i in range(labelled)])
        rollup.count_predictions(session, records)  # as the prediction log's writer does
        rollup.stored_labels(session, records)


def test_series_show_drift_per_feature_f1_and_traffic_where_they_happened(opened, clock):
    real_now = clock.now
    clock.now = real_now - timedelta(hours=3)
    serve(opened, "cleveland", 150, labelled=120)
    monitors.run_checks(opened)
    clock.now = real_now
    serve(opened, "va", 200, seed=1)
    checked = {r.name: r for r in monitors.run_checks(opened)}

    view = monitoring.series(opened, hours=6)
    assert len(view.labels) == 24 and view.bucket_minutes == 15
    quiet, drifting = (view.labels.index(f"{t.astimezone(UTC):%H}:{t.minute // 15 * 15:02d}")
                       for t in (real_now - timedelta(hours=3), real_now))
    drift = view.drift
    assert drift.monitor == "data_drift" and drift.checks == 2
    assert {"age", "chol", "thal"} <= set(drift.features)
    flagged = {f for f, row in zip(drift.features, drift.cells, strict=True)
               if row[drifting] == 1.0}
    assert flagged == set(checked["data_drift"].details["drifted"])
    assert sum(row[quiet] for row in drift.cells) < len(flagged)  # Cleveland drifts less
    assert drift.share[drifting] == checked["data_drift"].value
    assert drift.cells[0][0] is None  # no check in the first bucket: a gap, not a zero

    assert view.traffic.total == 350
    # each site's rows span the 30 minutes before its check: up to three 15-minute buckets
    assert sum(view.traffic.counts[drifting - 2:drifting + 1]) == 200
    assert sum(view.traffic.counts[quiet - 2:quiet + 1]) == 150
    assert any(0 < share < 1 for share in view.traffic.positive_share[quiet - 2:quiet + 1]
               if share is not None)
    assert view.f1.labelled == 120
    assert 0.5 < max(v for v in view.f1.real if v is not None) <= 1
    assert view.f1.estimated[drifting] == checked["estimated_performance"].details[
        "estimated_f1"]
    assert {m.name for m in view.monitors} == set(checked)


def test_history_is_pruned_by_age_and_by_count(opened, clock):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    check = {"name": "data_drift", "state": "ok", "value": 0.1, "points": {"drifted:age": 0.0}}
    for n in range(6):
        monitor_states.append_history(opened.sessions, [check], now=start + timedelta(days=n),
                                      keep=timedelta(days=3), most=100)
    kept = monitor_states.load_history(opened.sessions, ["data_drift"], since=start)
    assert [c.checked_at for c in kept] == [start + timedelta(days=n) for n in (2, 3, 4, 5)]
    for n in range(5):
        monitor_states.append_history(opened.sessions, [check],
                                      now=start + timedelta(days=5, minutes=n + 1), most=3)
    with opened.sessions() as session:
        assert session.scalar(select(func.count()).select_from(MonitorHistoryRecord)) == 3


def test_a_period_outside_an_hour_to_a_week_is_refused(opened):
    with pytest.raises(DataError, match="1 to 168 hours"):
        monitoring.series(opened, hours=169)
