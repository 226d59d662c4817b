"""Read and write what the nodes record: incident fields, approvals, action runs, usage."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from agent_graph.policy import Usage
from core import audit, work
from core.incidents import get
from core.tables import ActionRun, Approval


def update_incident(sessions: sessionmaker, incident_id: int, *, event: str, actor: str,
                    details: dict | None = None, **fields) -> None:
    """Set incident fields and append one audit entry, in one transaction."""
    with sessions.begin() as session:
        incident = get(session, incident_id)
        for name, value in fields.items():
            setattr(incident, name, value)
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
        found = session.scalars(select(Approval).where(
            Approval.incident_id == incident_id, Approval.digest == digest)).first()
        if found is not None:
            return found
        approval = Approval(incident_id=incident_id, digest=digest, actions=actions,
                            context=context, requested_at=requested_at, expires_at=expires_at,
                            required=required)
        session.add(approval)
        session.flush()
        incident = get(session, incident_id)
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
        session.get(ActionRun, run_id).effective = effective


def usage(sessions: sessionmaker, model: str, now: datetime, window_hours: int) -> Usage:
    """Count recent runs per tool and ineffective ones; say when each tool last ran."""
    since = now - timedelta(hours=window_hours)
    with sessions() as session:
        recent = select(ActionRun.tool, func.count()).where(
            ActionRun.model == model, ActionRun.started_at >= since,
            ActionRun.status == "success").group_by(ActionRun.tool)
        runs = dict(session.execute(recent).all())
        ineffective = dict(session.execute(
            select(ActionRun.tool, func.count()).where(
                ActionRun.model == model, ActionRun.started_at >= since,
                ActionRun.effective.is_(False)).group_by(ActionRun.tool)).all())
        last = dict(session.execute(
            select(ActionRun.tool, func.max(ActionRun.started_at)).where(
                ActionRun.model == model, ActionRun.status == "success")
            .group_by(ActionRun.tool)).all())
    return Usage(runs=runs, ineffective=ineffective, last_run=last)


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
