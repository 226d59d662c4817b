"""The prediction log: nothing answered is lost or refused, whatever the database does."""

import time
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import func, select

from core.db import EncodedJSON
from core.tables import Prediction


def _row(request_id: str) -> dict:
    """A row as the API logs it: the features already encoded as JSON by pydantic-core."""
    return {"request_id": request_id, "features": EncodedJSON('{"age":63.0,"sex":1}'),
            "probability": 0.7, "label": 1, "model_version": "1", "latency_ms": 1.0,
            "created_at": datetime.now(UTC)}


def _logged(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Prediction))


def _features(sessions, request_id: str):
    with sessions() as session:
        return session.scalar(select(Prediction.features)
                              .where(Prediction.request_id == request_id))


def _database_away(admin_url: str, name: str, *, away: bool) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"false" if away else "true"}')
        if away:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))


@pytest.mark.postgres
def test_13_log_spills_while_the_database_is_away_and_replays_when_it_returns(
        postgres_server, postgres_url, tmp_path):
    from core.db import connect
    from ml.serving.prediction_log import PredictionLog

    sessions = connect(postgres_url)
    name = postgres_url.rsplit("/", 1)[1]
    spill = tmp_path / "spill.jsonl"
    log = PredictionLog(sessions, spill=spill, retry_seconds=0.2)
    for i in range(3):
        log.add(_row(f"before{i}"))
    log.flush_now()
    assert log.stats()["written"] == 3
    _database_away(postgres_server, name, away=True)
    try:
        for i in range(5):
            log.add(_row(f"during{i}"))
        log.add_batch(request_id="batch", features=np.full((2, 13), 1.0),
                      probabilities=np.array([0.2, 0.9]), version="1", latency_ms=1.0,
                      at=datetime.now(UTC))
        log.flush_now()  # the database refuses: the rows go to the spill file
        assert log.stats() == {"written": 3, "queued": 0, "spilled": 7, "dropped": 0}
        assert spill.exists() and log.answered("during4") and log.answered("batch-1")
        assert not log.answered("batch-2") and not log.answered("never")
        log.add(_row("later"))
        log.flush_now()  # still away, and within the retry interval: appended in order
        assert log.stats()["spilled"] == 8
    finally:
        _database_away(postgres_server, name, away=False)
    time.sleep(0.3)
    log.flush_now()
    assert log.stats() == {"written": 11, "queued": 0, "spilled": 0, "dropped": 0}
    assert not spill.exists() and not log.answered("during4")
    assert _logged(sessions) == 11
    with sessions() as session:
        labels = dict(session.execute(select(Prediction.request_id, Prediction.label)
                                      .where(Prediction.request_id.like("batch-%"))).all())
    assert labels == {"batch-0": 0, "batch-1": 1}
    for request_id in ("before0", "during4"):  # an object, whether written or replayed
        assert _features(sessions, request_id) == {"age": 63.0, "sex": 1}


def test_13_spill_left_by_a_stopped_process_is_replayed_once(tmp_path):
    from core.db import connect
    from ml.serving.log_spill import Spill
    from ml.serving.prediction_log import PredictionLog

    sessions = connect(f"sqlite:///{tmp_path / 'app.db'}")
    spill = tmp_path / "spill.jsonl"
    first = PredictionLog(sessions, spill=spill)
    first.add(_row("a"))
    first.flush_now()
    Spill(spill).append([_row("a"), _row("b")])  # "a" was committed before a crash
    second = PredictionLog(sessions, spill=spill)
    assert second.stats()["spilled"] == 2
    second.close()
    assert _logged(sessions) == 2 and not spill.exists()
    assert _features(sessions, "b") == {"age": 63.0, "sex": 1}


def test_13_the_queue_is_bounded_and_counts_what_it_drops(tmp_path):
    from core.db import connect
    from ml.serving.prediction_log import PredictionLog

    sessions = connect(f"sqlite:///{tmp_path / 'app.db'}")
    log = PredictionLog(sessions, capacity=4)  # not started: nothing drains the queue
    for i in range(6):
        log.add(_row(f"r{i}"))
    assert log.stats() == {"written": 0, "queued": 4, "spilled": 0, "dropped": 2}
    assert not log.answered("r5")
    log.close()
    assert _logged(sessions) == 4
