"""The log's per-slot counts (and histograms) equal counting its rows, however and by whomever
they were written."""

import threading
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import select

from core.db import EncodedJSON, connect
from core.errors import NotFound
from core.tables import Feedback, LabelCount, Prediction, PredictionCount
from ml.serving.prediction_log import PredictionLog
from services.predictions import record_feedback
from tests.core import test_histograms as histograms

CELL = {(1, 1): "tp", (1, 0): "fp", (0, 1): "fn", (0, 0): "tn"}  # (predicted, true)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sessions(request, tmp_path):
    url = (f"sqlite:///{tmp_path}/app.db" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    return connect(url)


def counted(sessions) -> tuple[dict, dict]:
    """Return the counts as stored: (slot, version) -> (predictions, positives) and cells."""
    with sessions() as session:
        predicted = {(r.slot, r.model_version): (r.predictions, r.positives)
                     for r in session.scalars(select(PredictionCount))}
        labels = {(r.slot, r.model_version): {"tp": r.tp, "fp": r.fp, "fn": r.fn, "tn": r.tn}
                  for r in session.scalars(select(LabelCount))}
    return predicted, {k: v for k, v in labels.items() if any(v.values())}


def by_hand(sessions) -> tuple[dict, dict]:
    """Count the raw rows the way the counts promise: per 30 s of the prediction's time."""
    with sessions() as session:
        rows = session.execute(select(Prediction.request_id, Prediction.created_at,
                                      Prediction.model_version, Prediction.label)).all()
        truth = dict(session.execute(select(Feedback.request_id, Feedback.label)).all())
    predicted, labels = defaultdict(lambda: [0, 0]), defaultdict(Counter)
    for request_id, at, version, label in rows:
        key = int(at.timestamp()) // 30 * 30, version
        predicted[key][0] += 1
        predicted[key][1] += label
        if request_id in truth:
            labels[key][CELL[label, truth[request_id]]] += 1
    return ({k: tuple(v) for k, v in predicted.items()},
            {k: {c: v[c] for c in CELL.values()} for k, v in labels.items()})


def row(request_id: str, at: datetime, *, label: int, version: str) -> dict:
    return {"request_id": request_id, "features": EncodedJSON('{"age":63.0}'),
            "probability": 0.7 if label else 0.2, "label": label, "model_version": version,
            "latency_ms": 1.0, "created_at": at}


def test_counts_equal_the_rows_of_concurrent_writers_batches_and_labels(sessions):
    """Three writers (replicas) log at once in batches; labels come early, late and twice."""
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    logs = [PredictionLog(sessions, batch=40) for _ in range(3)]
    early = Counter()
    failed = []

    def serve(n: int, log: PredictionLog) -> None:
        try:
            for i in range(300):
                request_id = f"w{n}r{i}"
                log.add(row(request_id, base + timedelta(seconds=(i * 7 + n * 3) % 900),
                            label=int(i % 3 == 0), version=str(1 + i % 2)))
                if i % 4 == 0:  # a label before the row is written: the writer counts it
                    early[n] += log.answered(request_id)
                    record_feedback(sessions=sessions, log=log, request_id=request_id,
                                    label=i % 2)
                if i % 25 == 0:
                    log.flush_now()
                if i % 5 == 0 and i >= 50:  # a label for a row written a while ago, changed
                    for label in (1, 0, 1):
                        record_feedback(sessions=sessions, log=log,
                                        request_id=f"w{n}r{i - 50}", label=label)
            log.add_batch(request_id=f"b{n}", features=np.full((30, 13), 50.0),
                          probabilities=np.linspace(0, 1, 30), version="2",
                          latency_ms=1.0, at=base + timedelta(seconds=n * 31))
            log.flush_now()
            for i in range(0, 30, 3):
                record_feedback(sessions=sessions, log=log, request_id=f"b{n}-{i}", label=1)
        except Exception as error:  # noqa: BLE001  (reported by the test below)
            failed.append(repr(error))

    def relabel() -> None:  # another replica's labels for rows it did not answer
        stranger = PredictionLog(sessions)
        for i in range(0, 300, 6):
            try:
                record_feedback(sessions=sessions, log=stranger, request_id=f"w0r{i}",
                                label=int(i % 12 == 0))
            except NotFound:
                pass  # not written yet: the API answers 404 too

    threads = [threading.Thread(target=serve, args=(n, log)) for n, log in enumerate(logs)]
    threads.append(threading.Thread(target=relabel))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for log in logs:
        log.close()

    assert not failed
    assert sum(early.values()) > 0  # some labels did come before their rows
    stored, expected = counted(sessions), by_hand(sessions)
    assert sum(n for n, _ in expected[0].values()) == 3 * 330
    assert stored == expected
    assert histograms.stored(sessions) == histograms.by_hand(sessions)  # and the histograms
    histograms.errors_agree(sessions)  # and the error sums by slot, hour and day


def test_a_spilled_batch_is_counted_once_when_replayed(sessions, tmp_path):
    at = datetime.now(UTC) - timedelta(minutes=3)
    log = PredictionLog(sessions, spill=tmp_path / "spill.jsonl")
    log._spill.append([row(f"s{i}", at, label=i % 2, version="1") for i in range(10)])
    log._spill.rows = 10
    log.add(row("after", at, label=1, version="1"))
    record_feedback(sessions=sessions, log=log, request_id="after", label=1)
    log.close()
    assert counted(sessions) == by_hand(sessions)
    assert counted(sessions)[0] == {(int(at.timestamp()) // 30 * 30, "1"): (11, 6)}
    assert histograms.stored(sessions) == histograms.by_hand(sessions)
