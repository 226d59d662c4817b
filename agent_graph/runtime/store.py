"""Read and write what the nodes record: incident fields, approvals, action runs, usage."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from sqlalchemy import event as events
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agent_graph.policy import Usage
from core import audit, work
from core.clock import utcnow
from core.errors import NotFound
from core.incidents import get
from core.tables import ActionRun, Approval, Incident

_held: ContextVar[list | None] = ContextVar("medic_held_incident_writes", default=None)


@contextmanager
def grouped(sessions: sessionmaker) -> Iterator[None]:
    """Hold a graph run's incident updates and write them with its next write, or at its end.

    The nodes before an action or an approval only set incident fields and audit them:
    held, they cost one transaction for the run instead of one per node. Run the graph
    with `durability="exit"` inside it: a process that dies mid-run loses the held writes
    and the thread's progress alike, and the run starts again from its last exit.
    """
    token = _held.set([])
    try:
        yield
    finally:
        held = _held.get()
        _held.reset(token)
        if held:
            with sessions.begin() as session:
                _write(session, held)


def write_held(session: Session, incident: Incident | None = None) -> None:
    """Write the held incident updates in the caller's transaction (they commit with it).

    An `incident` the caller has read takes its held fields as attributes (one UPDATE with
    the caller's changes). If the transaction rolls back they are held again, for the
    run's end.
    """
    held = _held.get()
    if not held:
        return
    taken = list(held)
    held.clear()

    def hold_again(*_) -> None:
        held[0:0] = taken

    events.listen(session, "after_soft_rollback", hold_again, once=True)
    _write(session, taken, incident)


def _write(session: Session, writes: list[tuple], loaded: Incident | None = None) -> None:
    """Apply held updates: one UPDATE per incident (fields merged in order), then the audit."""
    fields: dict[int, dict] = {}
    for incident_id, _event, _actor, _details, changed, _at in writes:
        fields.setdefault(incident_id, {}).update(changed)
    for incident_id, changed in fields.items():
        if loaded is not None and loaded.id == incident_id:
            for name, value in changed.items():
                setattr(loaded, name, value)
        else:
            _set(session, incident_id, changed)
    for incident_id, name, actor, details, _changed, at in writes:
        audit.record(session, event=name, actor=actor, incident_id=incident_id,
                     clock=lambda at=at: at, **details)


def _set(session: Session, incident_id: int, fields: dict) -> None:
    """Set fields with one UPDATE (no read first); NotFound if the incident does not exist."""
    if fields:
        changed = session.execute(update(Incident).where(Incident.id == incident_id)
                                  .values(**fields)).rowcount
    else:
        changed = session.scalar(select(func.count()).where(Incident.id == incident_id))
    if not changed:
        raise NotFound(f"no incident {incident_id}")


def update_incident(sessions: sessionmaker, incident_id: int, *, event: str, actor: str,
                    details: dict | None = None, **fields) -> None:
    """Set incident fields and append one audit entry, in one transaction.

    Inside `grouped` (a graph run) they are held, and written with the run's next write.
    """
    held = _held.get()
    if held is not None:
        held.append((incident_id, event, actor, details or {}, fields, utcnow()))
        return
    with sessions.begin() as session:
        _set(session, incident_id, fields)
        audit.record(session, event=event, actor=actor, incident_id=incident_id,
                     **(details or {}))


def request_approval(sessions: sessionmaker, *, incident_id: int, digest: str, actions: list,
                     context: dict, expires_at: datetime, requested_at: datetime,
                     required: int = 1,
                     on_created: Callable[[Approval], None] | None = None) -> Approval:
    """Return the approval for this plan, creating it once (a resumed node asks again).

    `requested_at` is the agent's clock (the escalation counts from it); `on_created` runs
    once, after the new approval is committed (to tell people).
    """
    with sessions.begin() as session:
        write_held(session)
        found = session.scalars(select(Approval).where(
            Approval.incident_id == incident_id, Approval.digest == digest)).first()
        if found is not None:
            return found
        incident = get(session, incident_id)
        approval = Approval(incident_id=incident_id, digest=digest, actions=actions,
                            context=context, requested_at=requested_at, expires_at=expires_at,
                            required=required, model=incident.model)  # the incident's model
        session.add(approval)
        session.flush()
        incident.state = "awaiting_approval"
        audit.record(session, event="approval_requested", actor="medic agent",
                     incident_id=incident_id, approval_id=approval.id, digest=digest,
                     actions=actions, expires_at=expires_at.isoformat())
    if on_created is not None:
        on_created(approval)
    return approval


def approval(sessions: sessionmaker, approval_id: int) -> Approval:
    """Re-read an approval: the database, not the resume value, says what was decided."""
    with sessions() as session:
        return session.get(Approval, approval_id)


def claim_action(sessions: sessionmaker, *, key: str, incident_id: int, model: str, tool: str,
                 args: dict) -> ActionRun | None:
    """Record that an action starts; return None if this key already ran (or is running)."""
    try:
        with sessions.begin() as session:
            write_held(session)
            run = ActionRun(key=key, incident_id=incident_id, model=model, tool=tool, args=args)
            session.add(run)
            session.flush()
            audit.record(session, event="action_started", actor="medic agent",
                         incident_id=incident_id, tool=tool, args=args, key=key)
            return run
    except IntegrityError:
        return None


def finish_action(sessions: sessionmaker, run_id: int, *, status: str, result: dict,
                  now: datetime) -> None:
    """Store an action's result."""
    with sessions.begin() as session:
        write_held(session)
        run = session.get(ActionRun, run_id)
        run.status, run.result, run.finished_at = status, result, now
        audit.record(session, event="action_finished", actor="medic agent",
                     incident_id=run.incident_id, tool=run.tool, status=status,
                     message=result.get("message", ""))


def previous_run(sessions: sessionmaker, key: str) -> ActionRun | None:
    """Return the run recorded under an idempotency key."""
    with sessions() as session:
        return session.scalars(select(ActionRun).where(ActionRun.key == key)).first()


def mark_effective(sessions: sessionmaker, run_id: int, effective: bool) -> None:
    """Record whether an action helped (verify)."""
    with sessions.begin() as session:
        write_held(session)
        session.get(ActionRun, run_id).effective = effective


def usage(sessions: sessionmaker, model: str, now: datetime, window_hours: int) -> Usage:
    """Count recent runs per tool and ineffective ones; say when each tool last ran."""
    since = now - timedelta(hours=window_hours)
    recent, success = ActionRun.started_at >= since, ActionRun.status == "success"
    with sessions() as session:  # one query: three counts per tool
        rows = session.execute(select(
            ActionRun.tool, func.count().filter(recent, success),
            func.count().filter(recent, ActionRun.effective.is_(False)),
            func.max(ActionRun.started_at).filter(success),
        ).where(ActionRun.model == model).group_by(ActionRun.tool)).all()
    return Usage(runs={tool: n for tool, n, _, _ in rows if n},
                 ineffective={tool: n for tool, _, n, _ in rows if n},
                 last_run={tool: at for tool, _, _, at in rows if at is not None})


def moved_by(sessions: sessionmaker, champion: str) -> ActionRun | None:
    """Return the newest successful action that made `champion` the champion, if one did."""
    with sessions() as session:
        recent = session.scalars(select(ActionRun).where(ActionRun.status == "success")
                                 .order_by(ActionRun.id.desc()).limit(200))
        return next((r for r in recent
                     if str(((r.result or {}).get("data") or {}).get("champion")) == champion),
                    None)


def supersede(sessions: sessionmaker, *, champion: str, reason: str, now: datetime,
              approval_id: int | None = None) -> list[int]:
    """Mark approvals whose plan was made for another champion `superseded`; wake them.

    With `approval_id`, that approval alone (approved, then found stale when it was to
    run); without, every pending one made for a champion other than `champion`. Return
    the incidents concerned: their threads go on to record the approval as superseded.
    """
    with sessions.begin() as session:
        write_held(session)
        query = select(Approval).where(Approval.id == approval_id) if approval_id \
            else select(Approval).where(Approval.status == "pending")
        stale = [a for a in session.scalars(query)
                 if approval_id or str((a.context or {}).get("champion")) != champion]
        for found in stale:
            pending = found.status == "pending"
            found.status = "superseded"
            if pending:  # nobody decided: the system did, and says why
                found.decided_by, found.decided_role, found.decided_at = "medic", "system", now
                found.comment = reason[:2000]
            audit.record(session, event="approval_superseded", actor="medic agent",
                         incident_id=found.incident_id, approval_id=found.id, reason=reason)
        woken = [a.incident_id for a in stale if a.incident_id is not None]
        if not approval_id:
            work.wake_all(session, woken)
        return woken
