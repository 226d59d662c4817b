"""Write the prediction log in batches off the request path, and read windows of it back."""

import logging
import queue
import threading
import time
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError

from core.tables import Feedback, Prediction
from ml.schema import FEATURE_NAMES

log = logging.getLogger(__name__)


def window(sessions, minutes: int, *, now: datetime | None = None) -> pd.DataFrame:
    """Return the last `minutes` of predictions with their feedback labels.

    Columns: the 13 features, probability, label, model_version, and `target` (the label
    sent as feedback; NaN where none came).
    """
    since = (now or datetime.now(UTC)) - timedelta(minutes=minutes)
    query = (select(Prediction.features, Prediction.probability, Prediction.label,
                    Prediction.model_version, Feedback.label.label("target"))
             .outerjoin(Feedback, Feedback.request_id == Prediction.request_id)
             .where(Prediction.created_at >= since))
    with sessions() as session:
        rows = session.execute(query).all()
    frame = pd.DataFrame([{**dict.fromkeys(FEATURE_NAMES), **r.features,
                           "probability": r.probability, "label": r.label,
                           "model_version": r.model_version, "target": r.target}
                          for r in rows],
                         columns=[*FEATURE_NAMES, "probability", "label", "model_version",
                                  "target"])
    return frame.astype({name: "float64" for name in FEATURE_NAMES} | {"target": "float64"})



class PredictionLog:
    """Queue predictions and write them in batches; `close()` writes what is left."""

    def __init__(self, sessions, *, batch: int = 500, interval: float = 0.2) -> None:
        self._sessions, self._batch, self._interval = sessions, batch, interval
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="prediction-log", daemon=True)
        self.written = 0

    def start(self) -> None:
        """Start writing in the background."""
        self._thread.start()

    def add(self, row: dict) -> None:
        """Queue one prediction (never blocks the request)."""
        self._queue.put(row)

    def add_batch(self, *, request_id: str, features, probabilities, version: str,
                  latency_ms: float, at) -> None:
        """Queue a whole batch as one item; the writer expands it into rows."""
        self._queue.put(("batch", request_id, features, probabilities, version, latency_ms, at))

    def flush_now(self) -> None:
        """Write what is queued, from the caller's thread."""
        self._flush(drain=True)

    def close(self) -> None:
        """Stop, then write everything still queued."""
        self._stop.set()
        self._thread.join()
        self._flush(drain=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self._interval)
            self._flush(drain=False)

    def _flush(self, *, drain: bool) -> None:
        while True:
            rows = []
            while len(rows) < self._batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                rows.extend(_expand(item) if isinstance(item, tuple) else [item])
            if not rows:
                return
            self._write(rows)
            if not drain and len(rows) < self._batch:
                return

    def _write(self, rows: list[dict]) -> None:
        for attempt in range(1, 6):
            try:
                with self._sessions.begin() as session:
                    session.execute(insert(Prediction), rows)
                self.written += len(rows)
                return
            except SQLAlchemyError:
                log.warning("prediction log write failed (attempt %d); retrying", attempt,
                            exc_info=True)
                time.sleep(0.2 * attempt)
        log.error("dropping %d prediction log rows after 5 attempts", len(rows))


def _expand(item: tuple) -> list[dict]:
    _kind, request_id, features, probabilities, version, latency_ms, at = item
    return [{"request_id": f"{request_id}-{i}",
             "features": {n: (None if v != v else float(v)) for n, v in zip(FEATURE_NAMES, row,
                                                                             strict=True)},
             "probability": float(p), "label": int(p >= 0.5), "model_version": version,
             "latency_ms": latency_ms, "created_at": at}
            for i, (row, p) in enumerate(zip(features.tolist(), probabilities, strict=True))]
