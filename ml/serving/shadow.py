"""Score each live request with the model that did not answer it, off the request path.

While a model has a challenger in shadow or canary (`core/rollouts.py`), every answered
row is queued here with the version still to score it: the challenger's for a row the
champion answered, the champion's for a row the canary answered. A background thread takes
the queue in groups, scores each group with one call of that version's scorer and writes the
scores to `shadow_predictions` against the rows' request ids, so feedback labels measure
both models on the same rows.

The canary: a share of the model's single-row requests, sticky per caller key or per the
spec's `rollout.sticky_field`, is answered by the challenger. A challenger that raises
answers nothing: the champion answers that request. Once it has raised
`rollout.canary_max_errors` times in this process, or scores `canary_latency_ratio` times
slower than the champion, this process stops routing to it at once and asks `abort` (the
app's: stage `aborted`, audited, notified) from the background thread.
"""

import hashlib
import logging
import queue
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError

from core.errors import ModelLoadError
from core.rollouts import RolloutCache, RolloutState
from core.tables import ShadowPrediction
from ml.serving.fastpath import Scorer
from ml.serving.model import champion_scorer

log = logging.getLogger(__name__)

SHADOW = ShadowPrediction.__table__
WRITE_CHUNK = 25
"""Rows per INSERT: a request waiting for the GIL waits for one chunk's Python, not a batch's."""
Abort = Callable[[str, int, str], None]
"""abort(model, revision, reason): end a rollout this process judged broken."""


@dataclass
class Counts:
    """What this process saw of one model's rollout (since it started serving it)."""

    started: datetime | None = None
    shadow_scored: int = 0
    shadow_errors: int = 0
    canary_answered: int = 0
    canary_errors: int = 0
    dropped: int = 0
    champion_ms: deque = field(default_factory=lambda: deque(maxlen=1000))
    challenger_ms: deque = field(default_factory=lambda: deque(maxlen=1000))

    def view(self) -> dict:
        """Return the counts as plain data, with each model's median scoring time."""
        return {"shadow_scored": self.shadow_scored, "shadow_errors": self.shadow_errors,
                "canary_answered": self.canary_answered, "canary_errors": self.canary_errors,
                "dropped": self.dropped,
                "champion_median_ms": _median(self.champion_ms),
                "challenger_median_ms": _median(self.challenger_ms)}


@dataclass
class _Item:
    model: str
    version: str
    score: Scorer | None  # None: the challenger, loaded by the background thread
    request_ids: list[str]
    features: np.ndarray


class Shadow:
    """One serving process's shadow scoring and canary routing, for every model."""

    def __init__(self, sessions, rollouts: RolloutCache, *, fleet, abort: Abort,
                 batch: int = 2000, interval: float = 0.25, capacity: int = 50_000) -> None:
        self._sessions, self._rollouts, self._fleet = sessions, rollouts, fleet
        self._abort, self._batch, self._interval, self._capacity = abort, batch, interval, \
            capacity
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._queued = 0
        self._scorers: dict[tuple[str, str], Scorer | ModelLoadError] = {}
        self._counts: dict[str, Counts] = {}
        self._halted: dict[str, int] = {}  # model -> revision this process stopped routing
        self._aborts: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shadow-scorer", daemon=True)

    # -- the request path ----------------------------------------------------------------

    def rollout(self, model: str) -> RolloutState | None:
        """Return the model's live rollout (shadow or canary), else None; cached ~1 s."""
        found = self._rollouts.get(model)
        return found if found is not None and found.live else None

    def canary(self, rollout: RolloutState, key: str) -> Scorer | None:
        """Return the challenger's scorer if this request is the canary's, else None.

        Sticky: the same key (caller or sticky field value) always lands on the same side
        for a given share. None too while the challenger is not loaded yet, and once this
        process halted the canary.
        """
        if rollout.stage != "canary" or rollout.share <= 0 \
                or self._halted.get(rollout.model) == rollout.revision:
            return None
        if bucket(rollout.model, key) >= rollout.share:
            return None
        found = self._scorers.get((rollout.model, rollout.challenger))
        return found if found is not None and not isinstance(found, ModelLoadError) else None

    def answered(self, rollout: RolloutState, *, request_ids: list[str], features: np.ndarray,
                 by_challenger: bool, champion: Scorer, champion_version: str) -> None:
        """Queue rows for the model that did not answer them (never blocks the request)."""
        if self._queued + len(request_ids) > self._capacity:
            self._count(rollout).dropped += len(request_ids)
            return
        with self._lock:
            self._queued += len(request_ids)
        if by_challenger:
            item = _Item(rollout.model, champion_version, champion, request_ids, features)
        else:
            item = _Item(rollout.model, rollout.challenger, None, request_ids, features)
        self._queue.put(item)

    def canary_scored(self, rollout: RolloutState, *, challenger_ms: float) -> None:
        """Count one row the canary answered; halt it when it is far slower than the champion."""
        counts = self._count(rollout)
        counts.canary_answered += 1
        counts.challenger_ms.append(challenger_ms)
        watch = self._fleet.get(rollout.model).spec.rollout
        rows = watch.canary_latency_rows
        if len(counts.challenger_ms) >= rows and len(counts.champion_ms) >= rows:
            slow, fast = _median(counts.challenger_ms), _median(counts.champion_ms)
            if fast and slow > watch.canary_latency_ratio * fast:
                self._halt(rollout, f"the challenger scores {slow / fast:.1f} times slower "
                                    f"than the champion (median {slow:.2f} ms vs {fast:.2f} ms)")

    def champion_scored(self, rollout: RolloutState, *, champion_ms: float) -> None:
        """Keep the champion's scoring time beside the canary's (the latency watch)."""
        if rollout.stage == "canary":
            self._count(rollout).champion_ms.append(champion_ms)

    def canary_failed(self, rollout: RolloutState, error: Exception) -> None:
        """Count a challenger's error; halt the canary at the spec's `canary_max_errors`."""
        counts = self._count(rollout)
        counts.canary_errors += 1
        most = self._fleet.get(rollout.model).spec.rollout.canary_max_errors
        log.warning("%s canary version %s raised %s (%d of %d)", rollout.model,
                    rollout.challenger, type(error).__name__, counts.canary_errors, most)
        if counts.canary_errors >= most:
            self._halt(rollout, f"the challenger raised on {counts.canary_errors} requests "
                                f"({type(error).__name__})")

    # -- reading -------------------------------------------------------------------------

    def counts(self, model: str) -> dict:
        """Return this process's counts of the model's current rollout (empty before any)."""
        found = self._counts.get(model)
        return found.view() if found is not None else Counts().view()

    def forget(self, model: str) -> None:
        """Read the model's rollout afresh on the next request (this process changed it)."""
        self._rollouts.forget(model)

    def loaded(self, model: str, version: str) -> Scorer | None:
        """Return a version's scorer if this process loaded it, else None."""
        found = self._scorers.get((model, version))
        return None if isinstance(found, ModelLoadError) else found

    # -- the background thread -----------------------------------------------------------

    def start(self) -> None:
        """Start scoring queued rows."""
        self._thread.start()

    def close(self) -> None:
        """Score and write what is queued, then stop."""
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join(timeout=30)

    def drain(self) -> None:
        """Score and write everything queued now (tests and benches wait on it)."""
        while self._queued or not self._aborts.empty():
            if not self._thread.is_alive():
                self._step()
            else:
                time.sleep(0.01)

    def _run(self) -> None:
        """Every `interval`, score and write what is queued: few, large transactions."""
        while not self._stop.wait(self._interval):
            while self._step():
                pass
        while self._step():
            pass

    def _step(self) -> bool:
        """Take up to `batch` rows off the queue and score and write them; False: idle."""
        self._run_aborts()
        items: list[_Item] = []
        rows = 0
        while rows < self._batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            items.append(item)
            rows += len(item.request_ids)
        if not items:
            return False
        try:
            self._write(self._score(items))
        finally:
            with self._lock:
                self._queued -= rows
        self._run_aborts()
        return True

    def _score(self, items: list[_Item]) -> list[dict]:
        """Score the items' rows per (model, version), `WRITE_CHUNK` items per call.

        Between chunks the thread yields the GIL, so a request never waits for a whole
        batch's Python; return the rows to write.
        """
        groups: dict[tuple[str, str], list[_Item]] = {}
        for item in items:
            if item.request_ids:
                groups.setdefault((item.model, item.version), []).append(item)
        at = datetime.now(UTC)
        written = []
        for (model, version), group in groups.items():
            score = group[0].score or self._challenger(model, version)
            if score is None:
                continue
            for start in range(0, len(group), WRITE_CHUNK):
                part = group[start:start + WRITE_CHUNK]
                written += self._scored(model, version, score, part, at)
                time.sleep(0)
        return written

    def _scored(self, model: str, version: str, score: Scorer, part: list[_Item],
                at: datetime) -> list[dict]:
        """Score one chunk with one call; a model that raises is counted, never raised here."""
        ids = [rid for item in part for rid in item.request_ids]
        try:
            values = score(np.vstack([item.features for item in part]))
        except Exception as error:  # a challenger's bug is the rollout's to judge
            self._shadow_failed(model, version, len(ids), error)
            return []
        rollout = self._rollouts.get(model)
        if rollout is not None:
            self._count(rollout).shadow_scored += len(ids)
        return [{"request_id": rid, "model": model, "version": version, "score": value,
                 "at": at} for rid, value in zip(ids, values.tolist(), strict=True)]

    def _write(self, rows: list[dict]) -> None:
        if not rows:
            return
        try:
            with self._sessions.begin() as session:
                for start in range(0, len(rows), WRITE_CHUNK):
                    session.execute(insert(SHADOW), rows[start:start + WRITE_CHUNK])
                    time.sleep(0)  # hand the GIL to a request waiting for it now
        except SQLAlchemyError:
            log.warning("could not write %d shadow scores", len(rows), exc_info=True)
            counts = self._counts.get(rows[0]["model"])
            if counts is not None:
                counts.dropped += len(rows)

    def _challenger(self, model: str, version: str) -> Scorer | None:
        """Return the challenger's scorer, loading it the first time; None if it cannot load."""
        found = self._scorers.get((model, version))
        if found is None:
            registry = self._fleet.get(model).registry
            try:
                artifact = registry.artifact(version)
                if artifact is None:
                    raise ModelLoadError(f"{model} version {version} has no recorded files")
                found = champion_scorer(registry, artifact)
                log.info("shadow: %s version %s loaded", model, version)
            except ModelLoadError as error:
                found = error
                rollout = self._rollouts.get(model)
                if rollout is not None and rollout.live and rollout.challenger == version:
                    self._halt(rollout, str(error))
            self._scorers[model, version] = found
        return None if isinstance(found, ModelLoadError) else found

    def _shadow_failed(self, model: str, version: str, rows: int, error: Exception) -> None:
        log.warning("shadow: %s version %s raised %s on %d rows", model, version,
                    type(error).__name__, rows)
        rollout = self._rollouts.get(model)
        if rollout is None or not rollout.live:
            return
        counts = self._count(rollout)
        counts.shadow_errors += rows  # each row is a call the model failed
        if counts.shadow_errors >= self._fleet.get(model).spec.rollout.canary_max_errors:
            which = "challenger" if version == rollout.challenger else "champion"
            self._halt(rollout, f"the {which} raised while scoring in shadow "
                                f"({type(error).__name__})")

    def _halt(self, rollout: RolloutState, reason: str) -> None:
        """Stop routing to the challenger here at once; abort the rollout off the request path."""
        if self._halted.get(rollout.model) == rollout.revision:
            return
        self._halted[rollout.model] = rollout.revision
        log.error("%s rollout of version %s: %s; aborting", rollout.model, rollout.challenger,
                  reason)
        self._aborts.put((rollout.model, rollout.revision, reason))

    def _run_aborts(self) -> None:
        while True:
            try:
                model, revision, reason = self._aborts.get_nowait()
            except queue.Empty:
                return
            try:
                self._abort(model, revision, reason)
            except Exception:  # already moved by another process, or the database is down
                log.warning("could not abort %s's rollout", model, exc_info=True)
            self._rollouts.forget(model)

    def _count(self, rollout: RolloutState) -> Counts:
        """Return the counts of the model's current rollout (new ones for a new rollout)."""
        found = self._counts.get(rollout.model)
        if found is None or found.started != rollout.started_at:
            found = self._counts[rollout.model] = Counts(started=rollout.started_at)
        return found


def bucket(model: str, key: str) -> float:
    """Return where a key falls in [0, 1): the same key, the same place, for one model."""
    digest = hashlib.blake2b(f"{model}\0{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest) / 2 ** 64


def _median(values) -> float | None:
    return float(statistics.median(values)) if values else None
