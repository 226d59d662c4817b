"""Work off the request path: the prediction log writer and the in-process agent worker."""

import logging
import queue
import threading
import time

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError

from core.tables import Prediction

log = logging.getLogger(__name__)


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
    from ml.schema import FEATURE_NAMES

    _kind, request_id, features, probabilities, version, latency_ms, at = item
    return [{"request_id": f"{request_id}-{i}",
             "features": {n: (None if v != v else float(v)) for n, v in zip(FEATURE_NAMES, row,
                                                                             strict=True)},
             "probability": float(p), "label": int(p >= 0.5), "model_version": version,
             "latency_ms": latency_ms, "created_at": at}
            for i, (row, p) in enumerate(zip(features.tolist(), probabilities, strict=True))]


class ModelWatcher:
    """Follow the champion alias: swap the serving model within seconds of a move."""

    def __init__(self, serving, *, on_reload, poll_seconds: float = 1.0) -> None:
        self._serving, self._on_reload, self._poll = serving, on_reload, poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="model-watcher", daemon=True)

    def start(self) -> None:
        """Start polling."""
        self._thread.start()

    def close(self) -> None:
        """Stop polling."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._poll):
            try:
                before = self._serving.current
                loaded = self._serving.reload()
            except Exception:  # keep following the registry through transient errors
                log.warning("registry poll failed", exc_info=True)
                continue
            if loaded is not None and (before is None or before.version != loaded.version):
                self._on_reload(loaded.version)


class Worker:
    """Run agent threads one at a time and expire overdue approvals."""

    def __init__(self, agent, *, poll_seconds: float = 5.0) -> None:
        self._agent, self._poll = agent, poll_seconds
        self._jobs: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="agent-worker", daemon=True)

    def start(self) -> None:
        """Pick up what a crash left behind, then run."""
        self._thread.start()
        self._jobs.put(("pending", None))

    def handle(self, incident_id: int) -> None:
        """Queue an incident's thread."""
        self._jobs.put(("handle", incident_id))

    def resume(self, incident_id: int, approval_id: int) -> None:
        """Queue the resumption of a thread after a decision."""
        self._jobs.put(("resume", (incident_id, approval_id)))

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until every queued job is done (for tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while self._jobs.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)
        return not self._jobs.unfinished_tasks

    def close(self) -> None:
        """Finish the job at hand and stop."""
        self._stop.set()
        self._jobs.put(("stop", None))
        self._thread.join(timeout=120)

    def _run(self) -> None:
        next_poll = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= next_poll:
                self._tick()
                next_poll = now + self._poll
            try:
                kind, payload = self._jobs.get(timeout=max(0.01, next_poll - time.monotonic()))
            except queue.Empty:
                continue
            try:
                self._do(kind, payload)
            except Exception:  # one failed incident must not stop the worker
                log.error("agent job %s %s failed", kind, payload, exc_info=True)
            finally:
                self._jobs.task_done()

    def _do(self, kind: str, payload) -> None:
        if kind == "handle":
            self._agent.handle(payload)
        elif kind == "resume":
            self._agent.resume(*payload)
        elif kind == "pending":
            picked = self._agent.handle_pending()
            if picked:
                log.info("picked up %d unhandled incident(s) after a restart", len(picked))

    def _tick(self) -> None:
        try:
            self._agent.expire()
        except Exception:  # a failed sweep is retried at the next tick
            log.warning("approval expiry sweep failed", exc_info=True)
