"""Issue 28: the prediction log is kept N days, by day partitions (PostgreSQL) or batches (SQLite).

What goes takes its labels and its per-slot counts with it: the counts the Overview and
Monitoring read (`rollup.predictions_since`, `rollup.buckets`) stay the log's own.
"""

import os
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, text

from core import log_partitions, log_retention, rollup
from core.db import EncodedJSON, connect
from core.errors import Expired, NotFound
from core.tables import Feedback, Prediction
from ml.serving.prediction_log import PredictionLog, window
from services.predictions import record_feedback
from tests.core import test_histograms as histograms
from tests.ml.test_prediction_log_counts import by_hand, counted

NOW = datetime.combine(datetime.now(UTC).date(), time(10), tzinfo=UTC)  # 10:00 UTC today


def request_id_at(at: datetime) -> str:
    """A UUIDv7 request id issued at `at`, as `new_request_id` issues them."""
    value = int(at.timestamp() * 1000) << 80 | int.from_bytes(os.urandom(10))
    value = value & ~(0xF << 76) & ~(0x3 << 62) | 0x7 << 76 | 0x2 << 62
    return f"{value:032x}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sessions(request, tmp_path):
    url = (f"sqlite:///{tmp_path}/app.db" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    return connect(url)


def log_days(sessions, days_ago: list[int], *, per_day: int = 30) -> dict[int, list[str]]:
    """Log `per_day` predictions on each day `days_ago`, a third of them labelled."""
    log = PredictionLog(sessions, batch=50)
    ids: dict[int, list[str]] = {}
    for ago in days_ago:
        for i in range(per_day):
            at = NOW - timedelta(days=ago, minutes=7 * i)
            request_id = request_id_at(at)
            log.add({"request_id": request_id, "features": EncodedJSON('{"age":63.0}'),
                     "probability": 0.7 if i % 2 else 0.2, "label": i % 2,
                     "model_version": "1", "latency_ms": 1.0, "created_at": at})
            ids.setdefault(ago, []).append(request_id)
    log.close()
    for ago in days_ago:
        for request_id in ids[ago][::3]:
            record_feedback(sessions=sessions, log=log, request_id=request_id, label=1)
    return ids


def remaining(sessions) -> tuple[int, int]:
    with sessions() as session:
        return (session.scalar(select(func.count()).select_from(Prediction)),
                session.scalar(select(func.count()).select_from(Feedback)))


def make_days(sessions, days_ago: list[int]) -> None:
    """PostgreSQL: give the older days their partitions (their rows move out of DEFAULT)."""
    with sessions.begin() as session:
        connection = session.connection()
        if log_partitions.is_partitioned(connection):
            for ago in days_ago:
                if (NOW - timedelta(days=ago)).date() not in log_partitions.days(connection):
                    log_partitions.add_day(connection, (NOW - timedelta(days=ago)).date())


def test_retention_removes_whole_old_days_with_their_labels_and_counts(sessions):
    ids = log_days(sessions, [5, 3, 2, 1, 0])
    legacy = PredictionLog(sessions)  # an id from before UUIDv7 ids, labelled
    legacy.add({"request_id": "a1b2c3-legacy", "features": EncodedJSON('{"age":50.0}'),
                "probability": 0.9, "label": 1, "model_version": "1", "latency_ms": 1.0,
                "created_at": NOW - timedelta(days=5, hours=1)})
    legacy.close()
    record_feedback(sessions=sessions, log=legacy, request_id="a1b2c3-legacy", label=1)
    make_days(sessions, [5, 3, 2])
    assert remaining(sessions) == (151, 51)

    removed = log_retention.apply(sessions, days=2, now=NOW)  # keeps from midnight 2 days ago

    assert remaining(sessions) == (90, 30)
    assert counted(sessions) == by_hand(sessions)  # the per-slot counts are the rows'
    kept_times, kept_scores = histograms.stored(sessions)  # so are the histograms' slots,
    assert (kept_times, kept_scores) == histograms.by_hand(sessions)  # hours and days
    histograms.errors_agree(sessions)
    assert min(key[1] for key in kept_times) == rollup.slot(NOW - timedelta(days=2)) \
        // 86400 * 86400  # the first day kept; the days and hours before it went
    with sessions() as session:
        week = rollup.predictions_since(session, NOW - timedelta(days=7))  # Overview's count
        start = rollup.slot(NOW - timedelta(days=7))
        series = rollup.buckets(session, start, 3600, 7 * 24 + 1)  # Monitoring's, hourly
        kept = set(session.scalars(select(Prediction.request_id)))
    assert week == 90 and sum(b[0] for b in series) == 90
    assert sum(b[2] + b[3] + b[4] + b[5] for b in series) == 30  # labelled ones
    assert kept == set(ids[2] + ids[1] + ids[0])
    if sessions.kw["bind"].dialect.name == "postgresql":
        assert [p[-8:] for p in removed.partitions] == [
            f"{NOW - timedelta(days=ago):%Y%m%d}" for ago in (5, 3)]
        assert removed.rows == 0  # whole partitions went: no row was deleted one by one
    else:
        assert removed.rows == 61 and removed.partitions == []
    assert log_retention.apply(sessions, days=2, now=NOW).rows == 0  # nothing more to do


def test_shadow_scores_older_than_the_retention_go_with_the_log(sessions):
    from core.tables import ShadowPrediction

    with sessions.begin() as session:
        session.add_all(ShadowPrediction(request_id=f"r{ago}", model="heart-disease",
                                         version="3", score=0.5,
                                         at=NOW - timedelta(days=ago, hours=1))
                        for ago in (4, 3, 1, 0))
    removed = log_retention.apply(sessions, days=2, now=NOW)
    with sessions() as session:
        kept = set(session.scalars(select(ShadowPrediction.request_id)))
    assert removed.shadows == 2 and kept == {"r1", "r0"}


def test_rows_outside_any_partition_are_kept_and_deleted_in_batches(sessions, monkeypatch):
    monkeypatch.setattr(log_retention, "BATCH", 7)
    log_days(sessions, [40, 30, 0], per_day=20)  # PostgreSQL: 40 rows in the DEFAULT one
    assert remaining(sessions) == (60, 21)
    removed = log_retention.apply(sessions, days=35, now=NOW)
    assert removed.rows == 20 and remaining(sessions) == (40, 14)
    assert counted(sessions) == by_hand(sessions)


def test_a_label_for_an_expired_prediction_is_told_from_one_never_made(sessions):
    ids = log_days(sessions, [100, 0], per_day=3)
    log = PredictionLog(sessions)
    record_feedback(sessions=sessions, log=log, request_id=ids[100][1], label=0,
                    retention_days=90, now=NOW)  # not removed yet: still taken
    log_retention.apply(sessions, days=90, now=NOW)
    with pytest.raises(Expired, match="older than the prediction log's 90-day retention"):
        record_feedback(sessions=sessions, log=log, request_id=ids[100][1], label=1,
                        retention_days=90, now=NOW)
    with pytest.raises(Expired):  # a batch row's id carries its batch's time
        record_feedback(sessions=sessions, log=log, request_id=ids[100][2] + "-4", label=1,
                        retention_days=90, now=NOW)
    for unknown in (request_id_at(NOW - timedelta(hours=1)), "not-an-id", "0" * 32):
        with pytest.raises(NotFound) as raised:
            record_feedback(sessions=sessions, log=log, request_id=unknown, label=1,
                            retention_days=90, now=NOW)
        assert type(raised.value) is NotFound
    record_feedback(sessions=sessions, log=log, request_id=ids[0][0], label=0,
                    retention_days=90, now=NOW)


def test_a_window_longer_than_the_cap_is_read_as_a_sample_spread_over_it(sessions):
    log_days(sessions, [0], per_day=200)  # one row every 7 minutes back from 10:00
    whole = window(sessions, 24 * 60, now=NOW + timedelta(minutes=1))
    sampled = window(sessions, 24 * 60, now=NOW + timedelta(minutes=1), most=50)
    assert len(whole) == 200
    assert 30 <= len(sampled) <= 70
    spread = sampled["created_at"].max() - sampled["created_at"].min()
    assert spread > timedelta(hours=18)  # from the whole day, not its last hour
    assert set(sampled["target"].dropna()) <= {1.0}


@pytest.mark.postgres
def test_the_job_makes_the_days_ahead_and_moves_strays_out_of_default(postgres_url):
    sessions = connect(postgres_url)
    ahead = (NOW + timedelta(days=3)).date()
    with sessions.begin() as session:
        session.execute(text(f"DROP TABLE {log_partitions.name_of(ahead)}"))
    log_days(sessions, [-3], per_day=5)  # logged for a day with no partition: DEFAULT
    with sessions() as session:
        stray = session.scalar(text(f"SELECT count(*) FROM {log_partitions.DEFAULT}"))
    assert stray == 5

    job = log_retention.job(sessions, 90)
    ran, _ = job.run_if_ours(sessions, NOW)

    assert ran
    with sessions() as session:
        connection = session.connection()
        made = log_partitions.days(connection)
        assert ahead in made and (NOW + timedelta(days=7)).date() in made
        assert session.scalar(text(f"SELECT count(*) FROM {made[ahead]}")) == 5
        assert session.scalar(text(f"SELECT count(*) FROM {log_partitions.DEFAULT}")) == 0
    assert remaining(sessions) == (5, 2)

