"""Let a few PDF renderers run at once per process, a few requests wait, and refuse the rest."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import RateLimited
from services.reports.pdf import TIMEOUT_SECONDS
from services.reports.renderer import pool

_gates: dict[tuple[int, int], "Gate"] = {}
_made = threading.Lock()


class Gate:
    """At most `renderers` slots held at once and `queue` callers waiting for one."""

    def __init__(self, renderers: int, queue: int, *, wait: float = TIMEOUT_SECONDS) -> None:
        self.renderers, self.queue, self._wait = renderers, queue, wait
        self._slots = threading.BoundedSemaphore(renderers)
        self._lock = threading.Lock()
        self._admitted = 0  # rendering or waiting
        self.running = self.peak = 0
        self.counts = {"rendered": 0, "cached": 0, "busy": 0}
        self._typical = 5.0  # seconds the last render took: what a refused caller waits

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a renderer slot for the block; raise RateLimited when none is free in time."""
        with self._lock:
            if self._admitted >= self.renderers + self.queue:
                raise self._busy()
            self._admitted += 1
        try:
            if not self._slots.acquire(timeout=self._wait):
                with self._lock:
                    raise self._busy()
            with self._lock:
                self.running += 1
                self.peak = max(self.peak, self.running)
            started = time.monotonic()
            try:
                yield
            finally:
                with self._lock:
                    self.running -= 1
                    self._typical = max(1.0, time.monotonic() - started)
                self._slots.release()
        finally:
            with self._lock:
                self._admitted -= 1

    def count(self, outcome: str) -> None:
        """Count a report answered: `rendered` or `cached`."""
        with self._lock:
            self.counts[outcome] += 1

    def _busy(self) -> RateLimited:
        self.counts["busy"] += 1
        return RateLimited(self._typical * (1 + self.queue / self.renderers),
                           f"the report renderers are busy ({self.renderers} rendering, "
                           f"{self.queue} waiting)")


def gate_for(settings) -> Gate:
    """Return this process's gate for the configured renderers and queue.

    As many warm renderer children are kept between reports as renderers may run at once.
    """
    key = (settings.report_renderers, settings.report_queue)
    pool.keep = settings.report_renderers
    with _made:
        if key not in _gates:
            _gates[key] = Gate(*key)
        return _gates[key]
