"""Periodic jobs: what a worker runs between incidents, each named, with its interval and claim.

A job runs on the worker's tick (every few seconds) unless it declares an interval. A
`claimed` job runs once per interval across all workers: each due tick tries to take the
interval from the job's schedule row (`monitor_states.claim_run`, compare-and-set), and
only the worker that wins runs it. An unclaimed job with an interval runs at most that
often in each worker. The worker's own list is `agent_graph/runtime/jobs.py`.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.monitor_states import claim_run

log = logging.getLogger(__name__)


def _always() -> bool:
    return True


@dataclass(frozen=True)
class PeriodicJob:
    """One periodic job: `run(now)` at most every `every_seconds` (0: on every tick).

    `name` names it in the logs and, when `claimed`, its schedule row (32 characters at
    most). `ready` says whether it may start now (the monitors: not while the last run
    still goes), checked before any claim. `close` stops what it started, with the worker.
    """

    name: str
    run: Callable[[datetime], object]
    every_seconds: float = 0.0
    claimed: bool = False
    ready: Callable[[], bool] = field(default=_always)
    close: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        if len(self.name) > 32:
            raise ValueError(f"periodic job name {self.name!r} is over 32 characters")
        if self.claimed and self.every_seconds <= 0:
            raise ValueError(f"periodic job {self.name!r} is claimed: it needs an interval")

    def run_if_ours(self, sessions, now: datetime) -> tuple[bool, object]:
        """Run now if ready and, when claimed, this interval is ours; return (ran, result)."""
        if not self.ready():
            return False, None
        if self.claimed and not claim_run(sessions, now=now, interval_seconds=self.every_seconds,
                                          schedule=self.name):
            return False, None
        return True, self.run(now)


class Timetable:
    """Run a worker's periodic jobs on its ticks; a failing job never stops the others."""

    def __init__(self, jobs: Iterable[PeriodicJob]) -> None:
        self.jobs = tuple(jobs)
        names = [job.name for job in self.jobs]
        if len(names) != len(set(names)):
            raise ValueError(f"periodic job names must be unique: {', '.join(names)}")
        self._next: dict[str, datetime] = {}  # unclaimed jobs with an interval: next turn here

    def tick(self, sessions, now: datetime) -> list[str]:
        """Run every job whose turn it is; return the names of those that ran."""
        ran = []
        for job in self.jobs:
            if not job.claimed and job.every_seconds > 0:
                if now < self._next.get(job.name, now):
                    continue
                self._next[job.name] = now + timedelta(seconds=job.every_seconds)
            try:
                done, _ = job.run_if_ours(sessions, now)
            except Exception:  # retried at its next turn; the other jobs still run
                log.warning("periodic job %s failed", job.name, exc_info=True)
                continue
            if done:
                ran.append(job.name)
        return ran

    def close(self) -> None:
        """Stop what the jobs started (the monitors' child process)."""
        for job in self.jobs:
            if job.close is not None:
                job.close()


class Ticker:
    """Tick a timetable on a thread of its own, every `seconds`.

    For the jobs a process keeps when its worker runs elsewhere: the serving process's
    monitors' tick, whose serving monitors read the requests only that process counts.
    """

    def __init__(self, timetable: Timetable, sessions, clock: Callable[[], datetime], *,
                 seconds: float = 5.0) -> None:
        self._timetable, self._sessions, self._clock = timetable, sessions, clock
        self._seconds, self._stop = seconds, threading.Event()
        self._thread = threading.Thread(target=self._run, name="ticker", daemon=True)

    def start(self) -> None:
        """Tick now, then every `seconds` until closed."""
        self._thread.start()

    def close(self) -> None:
        """Stop ticking; stop what the jobs started."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self._timetable.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._timetable.tick(self._sessions, self._clock())
            self._stop.wait(self._seconds)
