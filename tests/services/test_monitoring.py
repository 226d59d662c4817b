"""The monitoring series: real predictions, labels and monitor checks, SQLite and PostgreSQL."""

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from alembic import command
from sqlalchemy import Integer, case, cast, func, insert, select, text, update
from sqlalchemy.orm import sessionmaker

from core import migrations, monitor_states, rollup
from core.db import make_engine
from core.errors import DataError
from core.monitor_tables import MonitorHistoryRecord
from core.tables import Feedback, Prediction, RegistryEvent
from ml import data
from ml.data import LABEL
from ml.serving.fastpath import compile_scorer
from ml.serving.prediction_log import PredictionLog
from services.context import open_medic
from services.monitors import run as monitors
from services.monitors import series as monitoring
from services.overview import overview
from services.predictions import record_feedback
from tests.conftest import DATA, HEART, make_settings


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
    frame = data.load_site(DATA, site, HEART)
    picked = frame.iloc[np.random.default_rng(seed).integers(0, len(frame), rows)]
    features = data.features(picked, HEART)
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
    with opened.sessions.begin() as session:  # v2 has served since before the traffic below
        session.execute(update(RegistryEvent).values(at=real_now - timedelta(days=1)))
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


def test_a_period_outside_an_hour_to_30_days_is_refused(opened):
    with pytest.raises(DataError, match="1 to 720 hours"):
        monitoring.series(opened, hours=721)


def test_a_30_day_trend_shows_checks_kept_from_three_weeks_ago(opened, clock):
    check = {"name": "data_drift", "state": "warning", "value": 0.45,
             "points": {"drifted:age": 1.0}}
    weeks_ago = clock.now - timedelta(days=21)
    monitor_states.append_history(opened.sessions, [check], now=weeks_ago)
    monitor_states.append_history(opened.sessions, [{**check, "value": 0.05}], now=clock.now)
    trend = monitoring.series(opened, hours=720).drift
    assert trend.checks == 2 and trend.features == ["age"]
    shares = [v for v in trend.share if v is not None]
    assert shares == [0.45, 0.05]  # three weeks ago, then now
    other = monitor_states.load_history(opened.sessions, ["data_drift"], since=weeks_ago,
                                        model="bike-demand")
    assert other == []  # another model's monitor of that name has no history


def old_from_log(sessions, start: int, width: int):
    """The series as computed before the counts, straight from the log's rows (the oracle)."""
    def hits(condition):
        return func.sum(case((condition, 1), else_=0))

    since = datetime.fromtimestamp(start, UTC)
    predicted, truth = Prediction.label, Feedback.label
    edges = [datetime.fromtimestamp(start + i * width, UTC) for i in range(25)]
    with sessions() as session:
        counted = [(b, *session.execute(
            select(func.count(), func.sum(predicted)).where(
                Prediction.created_at >= edges[b], Prediction.created_at < edges[b + 1])).one())
            for b in range(24)]
        if session.bind.dialect.name == "postgresql":
            bucket = func.floor((func.extract("epoch", Prediction.created_at) - start) / width)
        else:
            seconds = func.strftime("%s", func.substr(Prediction.created_at, 1, 19))  # (2)
            bucket = (cast(seconds, Integer) - start) // width
        scored = session.execute(
            select(bucket.label("bucket"), func.count(), hits((predicted == 1) & (truth == 1)),
                   hits((predicted == 1) & (truth == 0)), hits((predicted == 0) & (truth == 1)))
            .select_from(Feedback)
            .join(Prediction, Prediction.request_id == Feedback.request_id)
            .where(Feedback.received_at >= since)
            # Two changes, both SQLite's: (1) its integer division truncates, so the old code
            # put labels of predictions up to a bucket before the period in its first bucket;
            # (2) strftime rounds to the millisecond (23:59:59.9999995 is the next second).
            .where(Prediction.created_at >= since)
            .group_by("bucket")).all()
    counts, positive, real = [0] * 24, [None] * 24, [None] * 24
    for b, n, ones in counted:
        if n:
            counts[b], positive[b] = n, (ones or 0) / n
    scored = [row for row in scored if row[0] >= 0]
    for b, _n, tp, fp, fn in scored:
        if 2 * tp + fp + fn:
            real[int(b)] = 2 * tp / (2 * tp + fp + fn)
    return counts, positive, real, sum(row[1] for row in scored)


def old_traffic(sessions, now: datetime) -> dict:
    with sessions() as session:
        return {name: session.scalar(select(func.count()).select_from(Prediction)
                                     .where(Prediction.created_at >= now - ago))
                for name, ago in (("last_hour", timedelta(hours=1)),
                                  ("last_day", timedelta(hours=24)))}


def shown(medic, hours: int):
    """Return what the Monitoring page plots from the log, and where its buckets start."""
    view = monitoring.series(medic, hours=hours)
    width = hours * 3600 // 24
    start = (int(medic.clock().timestamp()) // width - 23) * width
    return (view.traffic.counts, view.traffic.positive_share, view.f1.real,
            view.f1.labelled), start, width


def week_of_traffic(now: datetime, rows: int, *, seed: int = 0) -> list[dict]:
    """Rows over the week before `now`, a few exactly on the edges of slots and buckets."""
    rng = np.random.default_rng(seed)
    times = [now - timedelta(seconds=float(s)) for s in rng.uniform(0, 7 * 24 * 3600, rows)]
    hour = now.replace(minute=0, second=0, microsecond=0)
    times += [hour, hour - timedelta(microseconds=1), hour - timedelta(minutes=30),
              now - timedelta(hours=24), now - timedelta(hours=24, microseconds=-1),
              now - timedelta(hours=1, seconds=-0.5)]
    probability = rng.beta(2, 2, len(times))
    return [{"request_id": uuid.uuid4().hex, "features": {"age": 50.0},
             "probability": float(p), "label": int(p >= 0.5),
             "model_version": str(1 + n % 2), "latency_ms": 1.0, "created_at": at}
            for n, (at, p) in enumerate(zip(times, probability, strict=True))]


def test_series_from_the_counts_equal_the_old_computation_on_the_same_log(opened, clock):
    log = PredictionLog(opened.sessions, batch=200)
    rows = week_of_traffic(clock.now, 3000)
    for row in rows:
        log.add(row)
    log.close()
    rng = np.random.default_rng(1)
    for row in rows[::3]:  # labels come now, hours or days after their predictions
        for label in (row["label"] ^ int(rng.random() < 0.2),) * (1 + int(rng.random() < .1)):
            record_feedback(sessions=opened.sessions, log=log, request_id=row["request_id"],
                            label=label)
    record_feedback(sessions=opened.sessions, log=log, request_id=rows[0]["request_id"],
                    label=1 - rows[0]["label"])  # changed: counted once, as its last value

    for hours in (1, 5, 6, 24, 168):
        series, start, width = shown(opened, hours)
        assert series == old_from_log(opened.sessions, start, width), hours
    week, start, _ = shown(opened, 168)
    assert sum(week[0]) == sum(r["created_at"].timestamp() >= start for r in rows) > 2500
    assert overview(opened).traffic.model_dump() == old_traffic(opened.sessions, clock.now)


def test_a_label_arriving_hours_later_counts_in_its_predictions_bucket(opened, clock):
    log = PredictionLog(opened.sessions)
    three_hours_ago = clock.now - timedelta(hours=3)
    log.add({"request_id": "late1", "features": {"age": 50.0}, "probability": 0.9, "label": 1,
             "model_version": "2", "latency_ms": 1.0, "created_at": three_hours_ago})
    log.close()
    assert monitoring.series(opened, hours=6).f1.labelled == 0
    record_feedback(sessions=opened.sessions, log=log, request_id="late1", label=1)

    view = monitoring.series(opened, hours=6)
    bucket = next(b for b, label in enumerate(view.labels)
                  if label == f"{three_hours_ago:%H}:{three_hours_ago.minute // 15 * 15:02d}")
    assert view.f1.labelled == 1
    assert view.f1.real[bucket] == 1.0
    assert [b for b, v in enumerate(view.f1.real) if v is not None] == [bucket]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_database(request, tmp_path):
    """Return the URL of an app database as the code before the counts left it: no counts."""
    url = (f"sqlite:///{tmp_path}/old.db" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    engine = make_engine(url)
    with engine.begin() as connection:  # the schema before Alembic, then no counts
        command.upgrade(migrations.alembic_config(connection), "0001")
        connection.execute(text(f"DROP TABLE {migrations.VERSION_TABLE}"))
        connection.execute(text("DROP TABLE prediction_counts"))
        connection.execute(text("DROP TABLE label_counts"))
    engine.dispose()
    return url


def test_an_upgraded_home_shows_the_same_series_after_the_upgrade(old_database, trained,
                                                                  clock):
    engine = make_engine(old_database)
    old = sessionmaker(engine)
    rows = week_of_traffic(clock.now, 2000, seed=3)
    with old.begin() as session:  # what the old writer stored: rows and labels, no counts
        session.execute(insert(Prediction), rows)
        session.execute(insert(Feedback), [{"request_id": r["request_id"],
                                            "label": r["label"] ^ (n % 5 == 0)}
                                           for n, r in enumerate(rows[::2])])
    settings = make_settings(trained[0].home, database_url=old_database)
    before = {}
    with open_medic(settings, clock=clock) as medic:
        for hours in (6, 24, 168):
            series, start, width = shown(medic, hours)
            before[hours] = series
            assert series == old_from_log(old, start, width), hours
        start = shown(medic, 168)[1]
        assert sum(before[168][0]) == sum(r["created_at"].timestamp() >= start for r in rows)
        assert overview(medic).traffic.model_dump() == old_traffic(old, clock.now)
    with open_medic(settings, clock=clock) as medic:  # opened again: counted once only
        assert {hours: shown(medic, hours)[0] for hours in before} == before
        log = PredictionLog(medic.sessions)
        more = week_of_traffic(clock.now, 100, seed=4)
        for row in more:
            log.add(row)
        log.close()
        assert sum(shown(medic, 168)[0][0]) == sum(
            r["created_at"].timestamp() >= start for r in rows + more)
        for hours in (6, 24, 168):
            series, start, width = shown(medic, hours)
            assert series == old_from_log(old, start, width), hours
    engine.dispose()


def old_checks(sessions, names: dict[str, str], start: int, width: int) -> dict:
    """The monitor series as computed before the hourly sums, from every check (the oracle)."""
    since = datetime.fromtimestamp(start, UTC)
    checks = monitor_states.load_history(sessions, list(names.values()), since=since)

    def means(pairs):
        sums, counts = [0.0] * 24, [0] * 24
        for b, value in pairs:
            sums[b] += value
            counts[b] += 1
        return [s / n if n else None for s, n in zip(sums, counts, strict=True)]

    drift = [((int(c.checked_at.timestamp()) - start) // width, c) for c in checks
             if c.name == names["drift"]]
    features = list(dict.fromkeys(k.removeprefix("drifted:") for _, c in drift
                                  for k in c.points if k.startswith("drifted:")))
    return {"features": features, "checks": len(drift),
            "cells": [means([(b, c.points[f"drifted:{f}"]) for b, c in drift
                             if f"drifted:{f}" in c.points]) for f in features],
            "share": means([(b, c.value) for b, c in drift if c.value is not None]),
            "estimated": means([((int(c.checked_at.timestamp()) - start) // width,
                                 c.points["estimated_f1"]) for c in checks
                                if c.name == names["estimate"]
                                and c.state != "insufficient_data"
                                and "estimated_f1" in c.points])}


def close(found: list, expected: list) -> bool:
    return [v is None for v in found] == [v is None for v in expected] and all(
        v == pytest.approx(w) for v, w in zip(found, expected, strict=True) if v is not None)


def test_day_and_week_plots_from_the_hourly_sums_equal_those_from_every_check(opened, clock):
    """A week and more of checks every 20 minutes: the sums answer as the checks did."""
    rng = np.random.default_rng(7)
    names = {"drift": "data_drift", "estimate": "estimated_performance"}
    first = clock.now - timedelta(days=7, hours=5)
    for n in range(int((clock.now - first).total_seconds() // 1200) + 1):
        at = first + timedelta(minutes=20 * n, seconds=float(rng.uniform(0, 59)))
        features = ["age", "chol", "thal"][:1 + n % 3]  # features come and go
        drifted = {f"drifted:{f}": float(rng.integers(0, 2)) for f in features}
        judged = n % 5 != 0
        monitor_states.append_history(opened.sessions, [
            {"name": "data_drift", "state": "ok", "points": {**drifted, "rows": 50.0},
             "value": sum(drifted.values()) / len(drifted) if n % 7 else None},
            {"name": "estimated_performance",
             "state": "ok" if judged else "insufficient_data", "value": None,
             "points": {"estimated_f1": float(rng.uniform(0.5, 0.9))}}], now=at)
    for hours in (24, 168):
        view = monitoring.series(opened, hours=hours)
        width = hours * 3600 // 24
        start = (int(clock.now.timestamp()) // width - 23) * width
        expected = old_checks(opened.sessions, names, start, width)
        assert view.drift.features == expected["features"] == ["age", "chol", "thal"]
        assert view.drift.checks == expected["checks"] > 0
        assert all(close(row, want) for row, want in zip(view.drift.cells, expected["cells"],
                                                         strict=True))
        assert close(view.drift.share, expected["share"])
        assert close(view.f1.estimated, expected["estimated"])
        assert sum(v is not None for v in view.f1.estimated) >= 23
