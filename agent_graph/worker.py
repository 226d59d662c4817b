"""Run agent threads off the request path, and expire overdue approvals."""

import logging
import queue
import threading
import time

log = logging.getLogger(__name__)


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
