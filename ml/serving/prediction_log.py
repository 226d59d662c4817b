"""Write the prediction log in batches off the request path, and read windows of it back."""

import logging
import queue
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import DateTime, Text, and_, cast, insert, or_, select, type_coerce
from sqlalchemy.exc import SQLAlchemyError

from core import rollup
from core.tables import Feedback, Prediction
from ml import spec as specs
from ml.serving.log_spill import Spill
from ml.serving.model import THRESHOLD

log = logging.getLogger(__name__)

PREDICTIONS = Prediction.__table__  # Core inserts: 10,000 rows in about half the ORM's time
SAMPLE_ROWS = 20_000  # most rows a monitor reads of one window; a longer one is sampled
SLICES = 240  # stretches of time a sampled window is read in (a day: one per 6 minutes)


def window(sessions, minutes: int, *, now: datetime | None = None, most: int = SAMPLE_ROWS,
           spec: specs.ModelSpec | None = None):
    """Return the last `minutes` of one model's predictions with their feedback labels.

    The model is `spec`'s (default: the default model's). Columns: its features, probability,
    label, model_version, latency_ms, created_at (UTC), and `target` (the label sent as
    feedback; NaN where none came); a regressor's rows also carry `prediction`, the predicted
    value, which its log rows keep in the `probability` column. Numeric features are floats;
    categories spelled as text stay texts. A window of more than `most` rows (by the
    per-slot counts) is read as a sample of about `most`: `SLICES` short stretches of time
    spread evenly over it, each read on the created_at index, so a day of ten million rows
    costs what `most` rows cost.
    """
    import pandas as pd
    from pydantic_core import from_json

    spec = spec or specs.default()
    features = spec.features
    end = now or datetime.now(UTC)
    since = end - timedelta(minutes=minutes)
    query = (select(cast(Prediction.features, Text), Prediction.probability,
                    Prediction.label, Prediction.model_version, Prediction.latency_ms,
                    type_coerce(Prediction.created_at, DateTime(timezone=True)),
                    Feedback.label)
             .select_from(Prediction)
             .outerjoin(Feedback, Feedback.request_id == Prediction.request_id)
             .where(Prediction.model == spec.name))
    with sessions() as session:
        logged = rollup.predictions_since(session, since, model=spec.name)
        if logged > most:
            query = query.where(_stretches(since, end, most / logged))
        else:
            query = query.where(Prediction.created_at >= since)
        rows = session.connection().execute(query).all()
    texts, probability, label, version, latency, at, target = (
        zip(*rows, strict=True) if rows else [()] * 7)
    parsed = from_json("[" + ",".join(texts) + "]")  # one parse of every row's features
    columns = {f.name: _column([row.get(f.name) for row in parsed], f.is_numeric_valued)
               for f in features}
    frame = pd.DataFrame(columns | {
        "probability": np.array(probability, dtype="float64"),
        "label": np.array(label, dtype="int64"),
        "model_version": np.array(version, dtype=object),
        "latency_ms": np.array(latency, dtype="float64"),
        "created_at": pd.to_datetime(list(at), utc=True),
        "target": np.array(target, dtype="float64")})  # None: no label came, NaN
    if spec.task == "regression":
        frame["prediction"] = frame["probability"]
    return frame


def _column(values: list, numeric: bool) -> np.ndarray:
    """Return one feature's values: floats (None as NaN) or, for text categories, objects."""
    return np.array(values, dtype="float64" if numeric else object)


def _stretches(since: datetime, end: datetime, share: float):
    """Return the condition of `SLICES` stretches covering `share` of [since, end)."""
    step = (end - since) / SLICES
    taken = step * share
    starts = [since + step * i for i in range(SLICES)]
    return or_(*(and_(Prediction.created_at >= start, Prediction.created_at < start + taken)
                 for start in starts))


class PredictionLog:
    """Queue predictions and write them in batches; `close()` writes what is left.

    Each batch adds to the per-slot counts (`core/rollup.py`) in its own transaction, and
    counts the labels that came for its rows before the rows did.

    When the database is slow or down, predictions keep answering and this policy applies:
    the queue holds at most `capacity` rows; a batch the database refuses goes to the spill
    file and is replayed, oldest first, once the database answers again (tried every
    `retry_seconds`); rows are dropped, and counted, only when the queue is full or the
    spill file cannot be written either. `stats()` gives the counts for the metrics.
    """

    def __init__(self, sessions, *, batch: int = 500, interval: float = 0.2,
                 capacity: int = 100_000, spill: Path | None = None,
                 retry_seconds: float = 1.0) -> None:
        self._sessions, self._batch, self._interval = sessions, batch, interval
        self._capacity, self._retry = capacity, retry_seconds
        self._spill = Spill(spill) if spill is not None else None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._queued = 0
        self._count_lock = threading.Lock()
        self._unwritten: dict[str, int] = {}  # request id -> rows of its batch (0: one row)
        self._early: dict[str, bool] = {}  # labelled before their row was written: classes?
        self._failed_at = float("-inf")
        self._stop = threading.Event()
        self._writing = threading.Lock()  # held from taking rows off the queue to writing them
        self._thread = threading.Thread(target=self._run, name="prediction-log", daemon=True)
        self.written = self.dropped = 0

    def start(self) -> None:
        """Start writing in the background (replaying a spill file left by a past run)."""
        self._thread.start()

    def add(self, row: dict) -> None:
        """Queue one prediction (never blocks the request)."""
        if self._admit(1, row["request_id"], 0):
            self._queue.put(row)

    def add_batch(self, *, request_id: str, features, probabilities, version: str,
                  latency_ms: float, at, model: str | None = None,
                  named: list[dict] | None = None, labels=None) -> None:
        """Queue a whole batch as one item; rows are logged as `<request_id>-<index>`.

        `model` (default: the default model), `named`: the rows as sent (default: `features`
        by the default model's names), `labels`: the classes answered (default: by THRESHOLD).
        """
        if self._admit(len(probabilities), request_id, len(probabilities)):
            self._queue.put(("batch", request_id, features, probabilities, version,
                             latency_ms, at, model, named, labels))

    def answered(self, request_id: str) -> bool:
        """Say whether this process answered `request_id` and has not committed it yet."""
        base, _, index = request_id.partition("-")
        rows = self._unwritten.get(base)
        if rows is None:
            return False
        return index == "" if rows == 0 else index.isdigit() and int(index) < rows

    def labelled_early(self, request_id: str, *, classes: bool = True) -> None:
        """Note a label for a row not written yet: the batch that writes it counts it.

        `classes=False`: a regressor's true value (its error sums only, `rollup.count_labels`).
        """
        self._early[request_id] = classes

    def stats(self) -> dict[str, int]:
        """Return rows written, queued, waiting in the spill file, and dropped."""
        return {"written": self.written, "queued": self._queued,
                "spilled": self._spill.rows if self._spill else 0, "dropped": self.dropped}

    def flush_now(self) -> None:
        """Write what is queued, from the caller's thread, after any write under way."""
        self._flush(drain=True)

    def close(self) -> None:
        """Stop, then write everything still queued."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._failed_at = float("-inf")
        self._flush(drain=True)

    def _admit(self, rows: int, request_id: str, batch_rows: int) -> bool:
        with self._count_lock:
            if self._queued + rows > self._capacity:
                self.dropped += rows
                log.warning("prediction log queue full: dropped %d rows", rows)
                return False
            self._queued += rows
        self._unwritten[request_id] = batch_rows
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self._interval)
            self._flush(drain=False)

    def _flush(self, *, drain: bool) -> None:
        with self._writing:
            if self._spill and self._spill.rows and self._may_retry():
                self._replay()
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
                with self._count_lock:
                    self._queued -= len(rows)
                self._write(rows)
                if not drain and len(rows) < self._batch:
                    return

    def _may_retry(self) -> bool:
        return time.monotonic() - self._failed_at >= self._retry

    def _write(self, rows: list[dict]) -> None:
        if not (self._spill and self._spill.rows):  # keep order: spilled rows go in first
            try:
                with self._sessions.begin() as session:
                    rollup.share_early_lock(session)
                    session.execute(insert(PREDICTIONS), rows)
                    rollup.count_predictions(session, rows)
                    for classes in (True, False):
                        early = [r for r in rows if self._early.get(r["request_id"]) is classes]
                        if early:
                            rollup.stored_labels(session, early, classes=classes)
                self._done(rows)
                return
            except SQLAlchemyError:
                self._failed_at = time.monotonic()
                log.warning("prediction log write of %d rows failed", len(rows), exc_info=True)
        if self._spill and self._spill.append(rows):
            return
        self.dropped += len(rows)
        self._forget(rows)
        log.error("dropped %d prediction log rows: database and spill file unavailable",
                  len(rows))

    def _replay(self) -> None:
        rows = self._spill.read()
        try:
            with self._sessions.begin() as session:
                rollup.share_early_lock(session)
                # A past replay may have committed some rows before a crash: ids are unique
                # only with their time on a partitioned log, so look for them first.
                present = set()
                for start in range(0, len(rows), 500):
                    ids = [r["request_id"] for r in rows[start:start + 500]]
                    present.update(session.scalars(select(Prediction.request_id)
                                                   .where(Prediction.request_id.in_(ids))))
                written = [r for r in rows if r["request_id"] not in present]
                if written:
                    session.execute(insert(PREDICTIONS), written)
                rollup.count_predictions(session, written)
                for start in range(0, len(written), 500):  # labels may have come meanwhile
                    rollup.stored_labels(session, written[start:start + 500])
        except SQLAlchemyError:
            self._failed_at = time.monotonic()
            log.warning("database still refuses the prediction log; %d rows wait in %s",
                        len(rows), self._spill.path)
            return
        self._spill.clear()
        self._done(rows)
        log.info("replayed %d spilled prediction log rows", len(rows))

    def _done(self, rows: list[dict]) -> None:
        self.written += len(rows)
        self._forget(rows)

    def _forget(self, rows: list[dict]) -> None:
        for row in rows:
            self._unwritten.pop(row["request_id"].partition("-")[0], None)
        if self._early:
            for row in rows:
                self._early.pop(row["request_id"], None)


def _expand(item: tuple) -> list[dict]:
    _kind, request_id, features, probabilities, version, latency_ms, at, model, named, \
        labels = item
    if named is None:
        missing = np.isnan(features).any(axis=1).tolist()
        named = [_named(row, gap) for row, gap in zip(features.tolist(), missing, strict=True)]
    probabilities = probabilities.tolist()
    labels = [int(p >= THRESHOLD) for p in probabilities] if labels is None else labels
    model = model or specs.default().name
    return [{"request_id": f"{request_id}-{i}", "model": model, "features": row,
             "probability": p, "label": label, "model_version": version,
             "latency_ms": latency_ms, "created_at": at}
            for i, (row, p, label) in enumerate(zip(named, probabilities, labels, strict=True))]


def _named(row: list[float], missing: bool) -> dict:
    """Name a batch row's values by the default model's features (the batch routes' model)."""
    names = specs.default().feature_names
    if missing:
        return {n: (None if v != v else v) for n, v in zip(names, row, strict=True)}
    return dict(zip(names, row, strict=True))
