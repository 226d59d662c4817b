"""Incidents: one open incident per fingerprint (alerts join it, see `core.ingest`)."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.clock import utcnow
from core.errors import NotFound
from core.monitor_tables import IncidentFlaps
from core.rollout_stages import stages
from core.tables import ActionRun, AlertRecord, Approval, Incident, PrunedThread
from core.views import (
    ActionView,
    AlertSeen,
    ApprovalView,
    AuditEntryView,
    IncidentDetail,
    IncidentSummary,
)

OPEN_STATES = ("open", "awaiting_approval", "remediating")  # remediating: approved, running
CORRELATING_STATES = (*OPEN_STATES, "verifying")  # another monitor's alert may still join
TERMINAL_STATES = ("resolved", "closed", "rejected", "expired", "escalated", "failed",
                   "recommended", "superseded")


def flaps(session: Session, incident_id: int) -> int:
    """Return how many times a closed incident's alert fired again within the cooldown."""
    found = session.get(IncidentFlaps, incident_id)
    return found.flaps if found is not None else 0


def close(session: Session, incident: Incident, state: str, outcome: str, *, actor: str,
          now: datetime | None = None) -> None:
    """Move an incident to a terminal state so the next alert opens a new one."""
    mark_closed(incident, state, outcome, now or utcnow())
    audit.record(session, event="incident_closed", actor=actor, incident_id=incident.id,
                 clock=lambda: incident.resolved_at, state=state, outcome=outcome)


def mark_closed(incident: Incident, state: str, outcome: str, now: datetime) -> None:
    """Set an incident's terminal state (the caller audits it)."""
    incident.state = state
    incident.outcome = outcome
    incident.open_key = None
    incident.handled = True
    incident.resolved_at = now


def get(session: Session, incident_id: int) -> Incident:
    """Return one incident or raise NotFound."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"no incident {incident_id}")
    return incident


def unhandled(session: Session) -> list[int]:
    """Return the ids of open incidents the agent has not run yet (e.g. after a crash)."""
    return list(session.scalars(
        select(Incident.id).where(Incident.state == "open", Incident.handled.is_(False))
        .order_by(Incident.id)
    ))


def closed_before(session: Session, cutoff: datetime, *, limit: int) -> list[int]:
    """Return ids of incidents closed before `cutoff` whose agent threads are still kept."""
    return list(session.scalars(
        select(Incident.id).where(Incident.state.in_(TERMINAL_STATES),
                                  Incident.resolved_at < cutoff,
                                  Incident.id.not_in(select(PrunedThread.incident_id)))
        .order_by(Incident.id).limit(limit)
    ))


def summary(incident: Incident) -> IncidentSummary:
    """Return the short form of an incident, for lists."""
    return IncidentSummary(**_summary(incident))


def _summary(incident: Incident) -> dict:
    return {
        "id": incident.id, "model": incident.model, "state": incident.state,
        "title": incident.title,
        "type": incident.alert_type, "severity_score": incident.severity_score,
        "severity_level": incident.severity_level, "decided_by": incident.decided_by,
        "alerts": incident.alert_count, "last_seen": _iso(incident.last_seen),
    }


def list_incidents(session: Session, *, state: str | None = None, limit: int = 100,
                   offset: int = 0) -> list[IncidentSummary]:
    """Return incidents, newest first, skipping the newest `offset`."""
    query = select(Incident).order_by(Incident.id.desc()).limit(limit).offset(offset)
    if state:
        query = query.where(Incident.state == state)
    return [summary(i) for i in session.scalars(query)]


def count_incidents(session: Session, *, state: str | None = None) -> int:
    """Return how many incidents there are (in one state), counted on an index."""
    query = select(func.count()).select_from(Incident)
    if state:
        query = query.where(Incident.state == state)
    return session.scalar(query) or 0


def detail(session: Session, incident_id: int) -> IncidentDetail:
    """Return everything about an incident: decision, plan, approvals, actions, timeline."""
    incident = get(session, incident_id)
    approvals = session.scalars(select(Approval).where(Approval.incident_id == incident_id)
                                .order_by(Approval.id)).all()
    actions = session.scalars(select(ActionRun).where(ActionRun.incident_id == incident_id)
                              .order_by(ActionRun.id)).all()
    ran = {a.tool: a for a in actions}
    plan = [{**step, "execution": ran[step["tool"]].status if step["tool"] in ran else None}
            for step in incident.plan or []]
    timeline = [AuditEntryView(**e) for e in audit.entries(session, incident_id=incident_id)]
    return IncidentDetail(**{
        **_summary(incident),
        "fingerprint": incident.fingerprint,
        "first_seen": _iso(incident.first_seen),
        "alert": incident.alert or {},
        "decision_note": incident.decision_note,
        "diagnosis": incident.diagnosis,
        "plan": plan,
        "verdict": incident.verdict,
        "approvals": [approval_view(a) for a in approvals],
        "actions": [ActionView(tool=a.tool, args=a.args, status=a.status, result=a.result,
                               effective=a.effective, started_at=_iso(a.started_at))
                    for a in actions],
        "outcome": incident.outcome,
        "flaps": flaps(session, incident_id),
        "alert_list": alert_list(session, incident_id),
        "timeline": timeline,
        "rollout": stages(timeline, actions, approvals),
    })


def alert_list(session: Session, incident_id: int) -> list[AlertSeen]:
    """Return each distinct alert the incident holds (several monitors may report one cause)."""
    listed: dict[str, dict] = {}
    for record in session.scalars(select(AlertRecord).where(
            AlertRecord.incident_id == incident_id).order_by(AlertRecord.id)):
        payload = record.payload or {}
        seen = listed.setdefault(record.fingerprint, {
            "name": str(payload.get("name", "")), "fingerprint": record.fingerprint,
            "monitor": (payload.get("labels") or {}).get("monitor"),
            "first_received": _iso(record.received_at), "received": 0})
        seen.update(status=record.status, last_received=_iso(record.received_at),
                    received=seen["received"] + 1)
    return [AlertSeen(**seen) for seen in listed.values()]


def approval_view(approval: Approval) -> ApprovalView:
    """Return an approval with its context, for people deciding on it."""
    return ApprovalView(**{
        "id": approval.id, "incident_id": approval.incident_id, "status": approval.status,
        "actions": approval.actions, "digest": approval.digest, "context": approval.context,
        "requested_at": _iso(approval.requested_at), "expires_at": _iso(approval.expires_at),
        "decided_by": approval.decided_by, "decided_at": _iso(approval.decided_at),
        "comment": approval.comment, "acknowledged_by": approval.acknowledged_by,
        "asked": approval.asked or [], "required": approval.required or 1,
        "approved_by": approval.approved_by or [],
    })


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
