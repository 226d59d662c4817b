"""Run the agent's durable work: claim due incidents under a lease and advance them.

Any number of workers (threads in `medic up`, or `medic worker` processes) share one
database: each claims one incident at a time, keeps its lease alive by heartbeat while a
long action runs, and gives it back when done. Work survives a crash in the table it
lives in; a dead worker's lease expires and another worker takes the incident over.
"""

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterable

from agent_graph.runtime.jobs import standard
from core import incidents, work
from core.periodic import PeriodicJob, Timetable
from core.tables import AgentWork

log = logging.getLogger(__name__)


class Worker:
    """Advance incidents the agent owes a run; run the periodic jobs on each tick."""

    def __init__(self, agent, *, poll_seconds: float = 1.0, lease_seconds: float = 60.0,
                 sweep_seconds: float = 5.0, max_attempts: int = 3, sole: bool = False,
                 outbox=None, monitor=None, jobs: Iterable[PeriodicJob] = ()) -> None:
        """`jobs` run on each tick after the standard ones (`agent_graph.runtime.jobs.standard`)."""
        self._agent, self._poll, self._lease = agent, poll_seconds, lease_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.timetable = Timetable([*standard(agent, outbox=outbox, monitor=monitor,
                                              owner=self.owner, lease_seconds=lease_seconds),
                                    *jobs])
        self._sweep, self._max_attempts, self._sole = sweep_seconds, max_attempts, sole
        self._ahead: work.Claim | None = None  # leased by the last finish, worked on next
        self._next_tick = 0.0  # when the loop runs the periodic jobs next (monotonic)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._busy = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="agent-worker", daemon=True)

    @property
    def _sessions(self):
        return self._agent.sessions

    def start(self) -> None:
        """Take over what a crash left (the sole worker frees every lease), then run."""
        self.recover()
        self._thread.start()

    def recover(self) -> None:
        """Free dead leases if this is the only worker; owe a run to old unhandled incidents."""
        if self._sole:
            freed = work.abandon_leases(self._sessions)
            if freed:
                log.warning("took over %d incident(s) a stopped worker held", freed)
        with self._sessions.begin() as session:
            for incident_id in incidents.unhandled(session):
                if session.get(AgentWork, incident_id) is None:
                    work.wake(session, incident_id)

    def nudge(self) -> None:
        """Look for work now instead of at the next poll."""
        self._wake.set()

    def run_once(self, only: int | None = None) -> int | None:
        """Claim and advance one due incident (or `only` that one); return its id."""
        return self._step(only)[0]

    def drain(self, only: int | None = None, limit: int = 10_000) -> list[int]:
        """Advance due incidents until none is left (or `only` that one is done)."""
        done: list[int] = []
        while len(done) < limit:
            incident_id, more = self._step(only)
            if incident_id is None:
                return done
            done.append(incident_id)
            if not more:
                return done
        return done

    def _step(self, only: int | None) -> tuple[int | None, bool]:
        """Advance one incident; return its id and whether more may be due.

        Not more when the finish, leasing ahead, found nothing due: asking again at once
        would find nothing either.
        """
        with self._busy:
            claimed = self._take(only)
            if claimed is None:
                return None, False
            looked = self._process(claimed, ahead=only is None)
            return claimed.incident_id, self._ahead is not None or not looked

    def _take(self, only: int | None) -> work.Claim | None:
        """Return the claim leased ahead if it is the one wanted, else claim now."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            if only is None or ahead.incident_id == only:
                return ahead
            work.give_back(self._sessions, ahead, owner=self.owner)
        return work.claim(self._sessions, owner=self.owner, lease_seconds=self._lease,
                          now=self._agent.context.clock(), only=only,
                          then=self._agent.claim_reads)

    def _lease_next(self, session) -> work.Claim | None:
        """Claim the next incident in the finishing transaction (lease-ahead)."""
        return work.claim_in(session, owner=self.owner, lease_seconds=self._lease,
                             now=self._agent.context.clock(), then=self._agent.claim_reads)

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until no work is due and none is running (tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._sessions() as session:
                due = work.pending(session)
            if not due and not self._busy.locked():
                return True
            self.nudge()
            time.sleep(0.02)
        return False

    @property
    def running(self) -> bool:
        """Return whether the worker thread is still running."""
        return self._thread.is_alive() and not self._stop.is_set()

    def wait(self, seconds: float) -> None:
        """Sleep until stopped or `seconds` passed (for a process whose only job is this)."""
        self._stop.wait(seconds)

    def close(self) -> None:
        """Finish the incident at hand and stop; give back one leased ahead."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=120)
        with self._busy:
            ahead, self._ahead = self._ahead, None
            if ahead is not None:
                work.give_back(self._sessions, ahead, owner=self.owner)
        self.timetable.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            # an incident leased ahead is worked on first: its lease has no heartbeat yet
            if time.monotonic() >= self._next_tick and self._ahead is None:
                self.tick()
                self._next_tick = time.monotonic() + self._sweep
            try:
                busy = self._step(None)[1]
            except Exception:  # a broken database must not end the worker; retry later
                log.error("agent worker could not claim work", exc_info=True)
                busy = False
            if not busy:
                self._wake.wait(self._poll)
                self._wake.clear()

    def _may_lease_ahead(self) -> bool:
        """Say whether the next incident can be leased now and worked on at once.

        Not when stopping, nor when the periodic jobs are due: they run first, and a lease
        held meanwhile, with no heartbeat, could run out.
        """
        return not self._stop.is_set() and (not self._thread.is_alive()
                                            or time.monotonic() < self._next_tick)

    def _process(self, claimed: work.Claim, *, ahead: bool = False) -> bool:
        """Advance a claimed incident, then finish or release it; True if it leased ahead.

        With `ahead`, a successful finish leases the next due incident in its own
        transaction (`self._ahead`), when `_may_lease_ahead`.
        """
        looked = False
        with work.Heartbeat(self._sessions, owner=self.owner, incident_id=claimed.incident_id,
                            lease_seconds=self._lease, clock=self._agent.context.clock):
            try:
                self._agent.advance(claimed.incident_id, claimed)
            except Exception as error:  # one failed incident must not stop the worker
                log.error("incident %d: agent run failed (attempt %d)", claimed.incident_id,
                          claimed.attempts, exc_info=True)
                why = f"{type(error).__name__}: {error}"[:500]
                if claimed.attempts >= self._max_attempts:
                    self._agent.escalate(claimed.incident_id, f"the agent failed "
                                         f"{claimed.attempts} times on this incident ({why}); "
                                         "a person must look")
                    work.finish(self._sessions, claimed, owner=self.owner, error=why)
                else:
                    work.release(self._sessions, claimed, owner=self.owner, error=why)
            else:
                looked = ahead and self._may_lease_ahead()
                self._ahead = work.finish(self._sessions, claimed, owner=self.owner,
                                          then=self._lease_next if looked else None)
        return looked

    def tick(self) -> list[str]:
        """Run the periodic jobs whose turn it is; return the names of those that ran."""
        return self.timetable.tick(self._sessions, self._agent.context.clock())
