"""Keep each model's rollout record: its challenger, stage and canary share, changed by CAS.

One row per model (`rollouts`). Every change names the revision it read and is refused
if another process (an API replica, a worker) moved it meanwhile; each is audited in the
same transaction. Serving processes read it through `RolloutCache`, every model's at once,
at most once a second, so replicas converge within about a second. Notifying people is the
caller's (`services/rollouts.py`), after the change committed.
"""

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from core import audit
from core.clock import Clock, utcnow
from core.errors import InvalidInput, NotFound, PolicyError
from core.tables import Rollout, ShadowPrediction

Stage = Literal["shadow", "canary", "promoted", "aborted", "ended"]
LIVE: tuple[Stage, ...] = ("shadow", "canary")
"""The stages in which the challenger scores live traffic."""
STAGE_CODES: dict[str, int] = {"none": 0, "shadow": 1, "canary": 2, "promoted": 3,
                               "aborted": 4, "ended": 5}
"""The numeric code of each stage in the `medic_rollout_stage` gauge (none: never rolled out)."""
NEXT: dict[str, tuple[Stage, ...]] = {
    "shadow": ("canary", "promoted", "aborted", "ended"),
    "canary": ("shadow", "canary", "promoted", "aborted", "ended"),
}
"""Where each live stage may go; a finished rollout (promoted, aborted, ended) goes nowhere."""
CACHE_SECONDS = 1.0
log = logging.getLogger(__name__)


class RolloutState(BaseModel):
    """A model's rollout as recorded."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    model: str
    challenger: str
    champion: str | None
    stage: Stage
    share: float
    revision: int
    started_at: datetime
    updated_at: datetime
    actor: str
    reason: str
    incident_id: int | None = None

    @property
    def live(self) -> bool:
        """Return True while the challenger scores live traffic (shadow or canary)."""
        return self.stage in LIVE


def read(sessions: sessionmaker, model: str) -> RolloutState | None:
    """Return a model's current rollout, or None if it never had one."""
    with sessions() as session:
        row = session.get(Rollout, model)
        return RolloutState.model_validate(row) if row is not None else None


def start(sessions: sessionmaker, model: str, *, challenger: str, champion: str | None,
          actor: str, reason: str, incident_id: int | None = None,
          clock: Clock = utcnow) -> RolloutState:
    """Put `challenger` in shadow for `model`; return the rollout.

    Idempotent: the same challenger already live is returned as it is. Another challenger
    live is refused (abort or end it first). The model's shadow rows of earlier rollouts
    are cleared, so the evidence counts this rollout's rows only.
    """
    if challenger == champion:
        raise InvalidInput(f"version {challenger} is {model}'s champion already")
    for _attempt in range(2):  # a first row inserted by another process meanwhile: read it
        try:
            return _start(sessions, model, challenger=challenger, champion=champion,
                          actor=actor, reason=reason, incident_id=incident_id, clock=clock)
        except IntegrityError:
            continue
    raise PolicyError(f"{model}'s rollout was started by another process meanwhile")


def _start(sessions: sessionmaker, model: str, *, challenger: str, champion: str | None,
           actor: str, reason: str, incident_id: int | None, clock: Clock) -> RolloutState:
    now = clock()
    with sessions.begin() as session:
        row = session.get(Rollout, model, with_for_update=True)
        if row is not None and row.stage in LIVE:
            if row.challenger == challenger:
                return RolloutState.model_validate(row)
            raise PolicyError(f"{model} has version {row.challenger} in {row.stage}: abort or "
                              "end that rollout first")
        fields = {"challenger": challenger, "champion": champion, "stage": "shadow",
                  "share": 0.0, "started_at": now, "updated_at": now, "actor": actor[:200],
                  "reason": reason, "incident_id": incident_id}
        if row is None:
            row = Rollout(model=model, revision=1, **fields)
            session.add(row)
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            row.revision += 1
        session.execute(delete(ShadowPrediction).where(ShadowPrediction.model == model))
        audit.record(session, event="rollout_shadow", actor=actor, incident_id=incident_id,
                     clock=clock, model=model, challenger=challenger, champion=champion,
                     reason=reason)
        session.flush()
        return RolloutState.model_validate(row)


def change(sessions: sessionmaker, model: str, *, expected: int, stage: Stage,
           share: float | None = None, actor: str, reason: str,
           clock: Clock = utcnow) -> RolloutState:
    """Move a live rollout to `stage` (and `share`) if it is still at revision `expected`.

    Compare-and-set: PolicyError when another process changed it since it was read, or when
    the stage cannot follow the current one. The canary share is 0 outside `canary`.
    """
    if share is not None and not 0 <= share <= 1:
        raise InvalidInput(f"a canary share is between 0 and 1, not {share}")
    with sessions.begin() as session:
        row = session.get(Rollout, model)
        if row is None:
            raise NotFound(f"{model} has no rollout")
        if row.revision != expected:
            raise PolicyError(f"{model}'s rollout changed meanwhile (now {row.stage}, revision "
                              f"{row.revision}, not {expected}); nothing changed")
        if stage not in NEXT.get(row.stage, ()):
            raise PolicyError(f"{model}'s rollout is {row.stage}: it cannot go to {stage}")
        share = (share if share is not None else row.share) if stage == "canary" else 0.0
        moved = session.execute(
            update(Rollout).where(Rollout.model == model, Rollout.revision == expected)
            .values(stage=stage, share=share, revision=expected + 1, updated_at=clock(),
                    actor=actor[:200], reason=reason)).rowcount
        if moved != 1:  # another transaction got there first (PostgreSQL's read committed)
            raise PolicyError(f"{model}'s rollout changed meanwhile; nothing changed")
        audit.record(session, event=f"rollout_{stage}", actor=actor, incident_id=row.incident_id,
                     clock=clock, model=model, challenger=row.challenger, share=share,
                     revision=expected + 1, reason=reason)
    found = read(sessions, model)
    assert found is not None  # the row was just updated, and rows are never deleted
    return found


class RolloutCache:
    """Every model's rollout as recently read: one read for all of them, at most once a second.

    Read on the prediction path, so a replica sees another's change within `seconds`; a
    database that does not answer leaves the rollouts last read in force (never an error).
    One read fetches every model's row (one per model that ever had a rollout), so a server
    of twenty models reads once a second where each model's own entry read twenty times, each
    read holding up the event loop's other requests. `forget` has the next `get` read afresh
    (after this process changed a rollout).
    """

    def __init__(self, sessions: sessionmaker, *, seconds: float = CACHE_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._sessions, self._seconds, self._now = sessions, seconds, monotonic
        self._found: dict[str, RolloutState] = {}  # replaced, never changed
        self._read_at: float | None = None  # when `_found` was read; None: read on next get
        self._lock = threading.Lock()

    def get(self, model: str) -> RolloutState | None:
        """Return the model's rollout, read again once the last read is `seconds` old."""
        now = self._now()
        if self._fresh(now):
            return self._found.get(model)
        with self._lock:
            if not self._fresh(now):
                try:
                    self._found = read_all(self._sessions)
                except SQLAlchemyError:  # predictions answer while the database is away
                    log.warning("could not read the rollouts; keeping the %d read before",
                                len(self._found), exc_info=True)
                self._read_at = now
            return self._found.get(model)

    def forget(self, model: str) -> None:
        """Read the rollouts afresh on the next `get` (`model`'s changed here)."""
        self._read_at = None

    def _fresh(self, now: float) -> bool:
        read_at = self._read_at
        return read_at is not None and now - read_at < self._seconds


def read_all(sessions: sessionmaker) -> dict[str, RolloutState]:
    """Return every model's current rollout, by model (a model that never had one: absent)."""
    with sessions() as session:
        return {row.model: RolloutState.model_validate(row)
                for row in session.query(Rollout)}
