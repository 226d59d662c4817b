"""Keep the agent's work durable: wake an incident, claim it under a lease, finish it.

Work lives in the `agent_work` table, never only in a process's memory: an alert or a
decision wakes its incident in the same transaction that stores it, and any worker claims
due work with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional update on
SQLite). A worker that dies leaves its lease to expire; another worker takes the work over.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, func, or_, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from core.incidents import OPEN_STATES
from core.tables import AgentWork, Incident, insert_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """A leased piece of work: which incident, and how many wake-ups it covers.

    A claim also marks its incident handled (a resolved alert no longer closes it before
    the agent ran) and carries what that read: its alert, whether it was still open, its
    model, and what the claimer's `then` read in the same transaction. `alert` is None when
    the incident was not marked (row-locked by an intake at that moment, or gone): the
    runner then reads and marks it itself.
    """

    incident_id: int
    wakes: int
    attempts: int
    alert: dict | None = None
    open: bool = False
    model: str | None = None
    read: Any = None


Then = Callable[[Session, Claim], Any]
"""What a claimer reads in the claim's own transaction (the runner: the registry record)."""

# One statement on PostgreSQL: pick the oldest due incident (SKIP LOCKED: two workers never
# wait on each other), lease it, and mark its incident handled, returning its alert. The
# incident is locked SKIP LOCKED too: an intake that holds it (joining an alert) waits on
# this agent_work row in turn, so waiting for it could deadlock; unmarked, the runner
# marks it itself once the claim has committed.
CLAIM_POSTGRES = text("""
WITH taken AS (
    UPDATE agent_work SET owner = :owner, lease_until = :until, attempts = attempts + 1
    WHERE incident_id = (
        SELECT incident_id FROM agent_work
        WHERE wakes > done AND (lease_until IS NULL OR lease_until < :now)
          AND (CAST(:only AS integer) IS NULL OR incident_id = CAST(:only AS integer))
        ORDER BY incident_id LIMIT 1 FOR UPDATE SKIP LOCKED)
      AND (lease_until IS NULL OR lease_until < :now)
    RETURNING incident_id, wakes, attempts),
marked AS (
    UPDATE incidents SET handled = true
    WHERE id = (SELECT incidents.id FROM incidents JOIN taken ON incidents.id = taken.incident_id
                FOR UPDATE OF incidents SKIP LOCKED)
    RETURNING id, alert, state, model)
SELECT taken.incident_id, taken.wakes, taken.attempts, marked.alert, marked.state, marked.model
FROM taken LEFT JOIN marked ON marked.id = taken.incident_id
""").columns(alert=JSON)


def wake(session: Session, incident_id: int) -> None:
    """Owe the incident a run of the agent (inside the caller's transaction)."""
    wake_all(session, [incident_id])


def wake_all(session: Session, incident_ids: list[int]) -> None:
    """Owe each incident a run of the agent, in one statement (insert, or one more wake)."""
    incident_ids = list(dict.fromkeys(incident_ids))
    if not incident_ids:
        return
    table = AgentWork.__table__  # the rows as parameters: a cached statement
    upsert = insert_for(session, table)
    session.execute(upsert.on_conflict_do_update(index_elements=[table.c.incident_id],
                                                 set_={"wakes": table.c.wakes + 1}),
                    [{"incident_id": i, "wakes": 1, "done": 0, "attempts": 0, "last_error": ""}
                     for i in incident_ids])


def claim(sessions: sessionmaker, *, owner: str, lease_seconds: float, now: datetime,
          only: int | None = None, then: Then | None = None) -> Claim | None:
    """Lease the oldest due incident (or `only` that one); None when nothing is due."""
    with sessions.begin() as session:
        return claim_in(session, owner=owner, lease_seconds=lease_seconds, now=now, only=only,
                        then=then)


def claim_in(session: Session, *, owner: str, lease_seconds: float, now: datetime,
             only: int | None = None, then: Then | None = None) -> Claim | None:
    """Claim inside the caller's transaction (`finish` leases the next incident with it).

    `then(session, claim)` runs in the same transaction once something is claimed, and
    what it returns travels as `claim.read`.
    """
    until = now + timedelta(seconds=lease_seconds)
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(CLAIM_POSTGRES, {"owner": owner, "until": until, "now": now,
                                               "only": only}).first()
        if row is None:
            return None
        claimed = Claim(row.incident_id, row.wakes, row.attempts, row.alert,
                        row.state in OPEN_STATES, row.model)
    else:
        claimed = _claim_sqlite(session, owner=owner, until=until, now=now, only=only)
        if claimed is None:
            return None
    return replace(claimed, read=then(session, claimed)) if then is not None else claimed


def _claim_sqlite(session: Session, *, owner: str, until: datetime, now: datetime,
                  only: int | None) -> Claim | None:
    """Pick, lease and mark (SQLite's write lock serialises the claimers: no SKIP LOCKED)."""
    due = (select(AgentWork).where(AgentWork.wakes > AgentWork.done,
                                   or_(AgentWork.lease_until.is_(None),
                                       AgentWork.lease_until < now))
           .order_by(AgentWork.incident_id).limit(1))
    if only is not None:
        due = due.where(AgentWork.incident_id == only)
    found = session.scalars(due).first()
    if found is None:
        return None
    taken = session.execute(
        update(AgentWork).where(AgentWork.incident_id == found.incident_id,
                                or_(AgentWork.lease_until.is_(None),
                                    AgentWork.lease_until < now))
        .values(owner=owner, lease_until=until, attempts=AgentWork.attempts + 1)).rowcount
    if not taken:
        return None
    marked = session.execute(update(Incident).where(Incident.id == found.incident_id)
                             .values(handled=True)
                             .returning(Incident.alert, Incident.state, Incident.model)).first()
    if marked is None:
        return Claim(found.incident_id, found.wakes, found.attempts + 1)
    return Claim(found.incident_id, found.wakes, found.attempts + 1, marked.alert,
                 marked.state in OPEN_STATES, marked.model)


def hold(sessions: sessionmaker, incident_id: int, *, owner: str, lease_seconds: float,
         now: datetime) -> bool:
    """Lease the incident for a step outside the agent's run (the sweep); False if held.

    The same lease as `claim`, whether or not the agent owes the incident a run: while the
    sweep holds it no worker advances the incident, and while a worker does the sweep
    skips it. An incident without a row gets one that owes nothing (wakes = done = 0).
    """
    with sessions.begin() as session:
        upsert = insert_for(session, AgentWork)
        session.execute(upsert.values(incident_id=incident_id, wakes=0, done=0, attempts=0,
                                      last_error="").on_conflict_do_nothing(
            index_elements=["incident_id"]))
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


def finish(sessions: sessionmaker, claimed: Claim, *, owner: str, error: str = "",
           then: Callable[[Session], Claim | None] | None = None) -> Claim | None:
    """Release the lease and mark the wake-ups it covered as done.

    With `then` (a `claim_in`), the same transaction leases the next incident: a worker
    with a backlog goes from one incident to the next in one transaction. Return what it
    leased (None: nothing was due).
    """
    with sessions.begin() as session:
        session.execute(
            update(AgentWork).where(AgentWork.incident_id == claimed.incident_id,
                                    AgentWork.owner == owner)
            .values(done=claimed.wakes, owner=None, lease_until=None, attempts=0,
                    last_error=error[:2000]))
        return then(session) if then is not None else None


def give_back(sessions: sessionmaker, claimed: Claim, *, owner: str) -> None:
    """Return a claim not worked on (leased ahead, then the worker stopped): no attempt spent."""
    with sessions.begin() as session:
        session.execute(
            update(AgentWork).where(AgentWork.incident_id == claimed.incident_id,
                                    AgentWork.owner == owner)
            .values(owner=None, lease_until=None, attempts=AgentWork.attempts - 1))


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


def abandon_leases(sessions: sessionmaker, *, owner_prefix: str | None = None) -> int:
    """Free every lease (the only worker starting, so no owner can still be alive).

    With `owner_prefix`, only the leases of owners named so (one dead process's).
    """
    held = AgentWork.owner.is_not(None) if owner_prefix is None else \
        AgentWork.owner.startswith(owner_prefix, autoescape=True)
    with sessions.begin() as session:
        return session.execute(update(AgentWork).where(held)
                               .values(owner=None, lease_until=None)).rowcount


def pending(session: Session) -> int:
    """Return how many incidents the agent owes a run."""
    return session.scalar(select(func.count()).where(AgentWork.wakes > AgentWork.done)) or 0
