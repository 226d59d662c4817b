"""Keep the agent's work durable: wake an incident, claim it under a lease, finish it.

Work lives in the `agent_work` table, never only in a process's memory: an alert or a
decision wakes its incident in the same transaction that stores it, and any worker claims
due work with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional update on
SQLite). A worker that dies leaves its lease to expire; another worker takes the work over.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from core.tables import AgentWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """A leased piece of work: which incident, and how many wake-ups it covers."""

    incident_id: int
    wakes: int
    attempts: int


def wake(session: Session, incident_id: int) -> None:
    """Owe the incident a run of the agent (inside the caller's transaction)."""
    wake_all(session, [incident_id])


def wake_all(session: Session, incident_ids: list[int]) -> None:
    """Owe each incident a run of the agent, in one statement (insert, or one more wake)."""
    incident_ids = list(dict.fromkeys(incident_ids))
    if not incident_ids:
        return
    postgres = session.get_bind().dialect.name == "postgresql"
    upsert = (postgresql_insert if postgres else sqlite_insert)(AgentWork)
    fresh = [{"incident_id": i, "wakes": 1, "done": 0, "attempts": 0, "last_error": ""}
             for i in incident_ids]
    session.execute(upsert.values(fresh).on_conflict_do_update(
        index_elements=[AgentWork.incident_id], set_={"wakes": AgentWork.wakes + 1}))


def claim(sessions: sessionmaker, *, owner: str, lease_seconds: float, now: datetime,
          only: int | None = None) -> Claim | None:
    """Lease the oldest due incident (or `only` that one); None when nothing is due."""
    due = (select(AgentWork).where(AgentWork.wakes > AgentWork.done,
                                   or_(AgentWork.lease_until.is_(None),
                                       AgentWork.lease_until < now))
           .order_by(AgentWork.incident_id).limit(1))
    if only is not None:
        due = due.where(AgentWork.incident_id == only)
    with sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        found = session.scalars(due).first()
        if found is None:
            return None
        taken = session.execute(
            update(AgentWork).where(AgentWork.incident_id == found.incident_id,
                                    or_(AgentWork.lease_until.is_(None),
                                        AgentWork.lease_until < now))
            .values(owner=owner, lease_until=now + timedelta(seconds=lease_seconds),
                    attempts=AgentWork.attempts + 1)).rowcount
        if not taken:
            return None
        return Claim(found.incident_id, found.wakes, found.attempts + 1)


def hold(sessions: sessionmaker, incident_id: int, *, owner: str, lease_seconds: float,
         now: datetime) -> bool:
    """Lease the incident for a step outside the agent's run (the sweep); False if held.

    The same lease as `claim`, whether or not the agent owes the incident a run: while the
    sweep holds it no worker advances the incident, and while a worker does the sweep
    skips it. An incident without a row gets one that owes nothing (wakes = done = 0).
    """
    with sessions.begin() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        upsert = (postgresql_insert if postgres else sqlite_insert)(AgentWork)
        session.execute(upsert.values(incident_id=incident_id, wakes=0, done=0, attempts=0,
                                      last_error="").on_conflict_do_nothing(
            index_elements=[AgentWork.incident_id]))
        # on PostgreSQL a second holder waits on the row lock, then finds the lease taken
        return bool(session.execute(
            update(AgentWork).where(AgentWork.incident_id == incident_id,
                                    or_(AgentWork.lease_until.is_(None),
                                        AgentWork.lease_until < now))
            .values(owner=owner, lease_until=now + timedelta(seconds=lease_seconds)))
            .rowcount)


def let_go(sessions: sessionmaker, incident_id: int, *, owner: str) -> None:
    """Give back a lease `hold` took, leaving the incident's owed runs as they were."""
    with sessions.begin() as session:
        session.execute(
            update(AgentWork).where(AgentWork.incident_id == incident_id,
                                    AgentWork.owner == owner)
            .values(owner=None, lease_until=None))


def heartbeat(sessions: sessionmaker, *, owner: str, incident_id: int, lease_seconds: float,
              now: datetime) -> bool:
    """Extend a lease this owner holds; False if it was lost."""
    with sessions.begin() as session:
        return bool(session.execute(
            update(AgentWork).where(AgentWork.incident_id == incident_id,
                                    AgentWork.owner == owner)
            .values(lease_until=now + timedelta(seconds=lease_seconds))).rowcount)


def finish(sessions: sessionmaker, claimed: Claim, *, owner: str, error: str = "") -> None:
    """Release the lease and mark the wake-ups it covered as done."""
    with sessions.begin() as session:
        session.execute(
            update(AgentWork).where(AgentWork.incident_id == claimed.incident_id,
                                    AgentWork.owner == owner)
            .values(done=claimed.wakes, owner=None, lease_until=None, attempts=0,
                    last_error=error[:2000]))


def release(sessions: sessionmaker, claimed: Claim, *, owner: str, error: str) -> None:
    """Give the work back undone (it failed); it is due again at once."""
    with sessions.begin() as session:
        session.execute(
            update(AgentWork).where(AgentWork.incident_id == claimed.incident_id,
                                    AgentWork.owner == owner)
            .values(owner=None, lease_until=None, last_error=error[:2000]))


class Heartbeat:
    """Keep a lease alive while a long step (a retrain, a judgement) runs."""

    def __init__(self, sessions: sessionmaker, *, owner: str, incident_id: int,
                 lease_seconds: float, clock: Callable[[], datetime]) -> None:
        self._sessions, self._owner, self._incident_id = sessions, owner, incident_id
        self._lease, self._clock = lease_seconds, clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-heartbeat", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._lease / 3):
            try:
                kept = heartbeat(self._sessions, owner=self._owner,
                                 incident_id=self._incident_id, lease_seconds=self._lease,
                                 now=self._clock())
            except Exception:  # the next beat tries again before the lease runs out
                log.warning("lease heartbeat failed", exc_info=True)
                continue
            if not kept:
                log.error("incident %d: lease lost to another worker", self._incident_id)
                return


def abandon_leases(sessions: sessionmaker) -> int:
    """Free every lease (the only worker starting, so no owner can still be alive)."""
    with sessions.begin() as session:
        return session.execute(update(AgentWork).where(AgentWork.owner.is_not(None))
                               .values(owner=None, lease_until=None)).rowcount


def pending(session: Session) -> int:
    """Return how many incidents the agent owes a run."""
    return session.scalar(select(func.count()).where(AgentWork.wakes > AgentWork.done)) or 0
