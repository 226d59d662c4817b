"""Store alerts and group them into incidents: one open incident per fingerprint."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core import audit, silences, work
from core.alerts import Alert
from core.clock import Clock, utcnow
from core.errors import Conflict, NotFound, SignatureError
from core.tables import ActionRun, AlertRecord, Approval, Incident, PrunedThread, SeenSignature
from core.watch_tables import IncidentFlaps

log = logging.getLogger(__name__)

OPEN_STATES = ("open", "awaiting_approval")
TERMINAL_STATES = ("resolved", "closed", "rejected", "expired", "escalated", "failed",
                   "recommended")
LOW_SEVERITY_LABELS = ("info", "low", "none")


@dataclass(frozen=True)
class Ingested:
    """Where an alert went: its incident, and whether that incident is new."""

    incident_id: int | None  # None: a silence held the alert
    created: bool
    needs_handling: bool
    fingerprint: str = ""
    silence_id: int | None = None


def ingest(sessions: sessionmaker, alerts: Alert | list[Alert], *, actor: str | None = None,
           clock: Clock = utcnow, signature: str | None = None,
           flap_cooldown: float = 0.0) -> list[Ingested]:
    """Store alerts all or nothing, joining open incidents; wake the agent for new ones.

    A low-severity alert firing again within `flap_cooldown` seconds of its incident's
    closing joins that closed incident as a flap (counted) instead of opening a new one.

    The audit names `actor`, or each alert's own source when none is given. A webhook's
    `signature` is spent in the same transaction: refused as a replay if already spent,
    and still unspent if storing the alerts failed (the sender may retry as it was).
    """
    batch = [alerts] if isinstance(alerts, Alert) else list(alerts)
    for _attempt in range(5):
        try:
            with sessions.begin() as session:
                now = clock()
                if signature is not None:
                    _spend(session, signature, now)
                return [_ingest(session, alert, actor or alert.source, now, flap_cooldown)
                        for alert in batch]
        except IntegrityError:
            log.debug("another writer opened one of these incidents first; retrying")
    raise Conflict("could not store the alerts: concurrent writers kept colliding; retry")


def _spend(session: Session, signature: str, now: datetime) -> None:
    if session.get(SeenSignature, signature) is not None:
        raise SignatureError("this signature was already used (replay refused)")
    session.add(SeenSignature(signature=signature, seen_at=now))
    session.flush()


def _ingest(session: Session, alert: Alert, actor: str, now: datetime,
            flap_cooldown: float = 0.0) -> Ingested:
    payload = alert.model_dump(mode="json")
    silence = silences.holding(session, alert, now)
    if silence is not None:  # stored and shown, not acted on
        silences.hold(session, silence, alert, payload, actor=actor, now=now)
        return Ingested(None, False, False, alert.fingerprint, silence_id=silence.id)
    incident = session.scalars(
        select(Incident).where(Incident.open_key == alert.fingerprint)
    ).first()
    if incident is None and alert.status == "firing" and flap_cooldown > 0:
        closed = _recently_closed(session, alert, now - timedelta(seconds=flap_cooldown))
        if closed is not None:
            return _flap(session, closed, alert, payload, actor, now)
    if incident is None and alert.status == "resolved":
        incident = session.scalars(
            select(Incident).where(Incident.fingerprint == alert.fingerprint)
            .order_by(Incident.id.desc())
        ).first()
        if incident is None:
            raise NotFound(f"resolved alert {alert.name!r} matches no incident")
    created = incident is None
    if created:
        incident = Incident(fingerprint=alert.fingerprint, open_key=alert.fingerprint,
                            title=alert.title, alert_type=alert.type.value, alert=payload,
                            first_seen=now, last_seen=now)
        session.add(incident)
        session.flush()
        audit.record(session, event="alert_received", actor=actor, incident_id=incident.id,
                     clock=lambda: now, alert=alert.name, type=alert.type.value,
                     fingerprint=alert.fingerprint, source=alert.source)
    else:
        incident.alert_count += 1
        incident.last_seen = now
        audit.record(session, event="alert_joined" if alert.status == "firing"
                     else "alert_resolved_at_source", actor=actor, incident_id=incident.id,
                     clock=lambda: now,
                     alert=alert.name, status=alert.status, count=incident.alert_count)
        if alert.status == "resolved" and incident.state == "open" and not incident.handled:
            close(session, incident, "closed", "the alert resolved at its source before "
                  "the agent handled it", actor=actor, now=now)
    session.add(AlertRecord(incident_id=incident.id, fingerprint=alert.fingerprint,
                            status=alert.status, payload=payload, received_at=now))
    needs_handling = created and alert.status == "firing"
    if needs_handling:
        work.wake(session, incident.id)
    return Ingested(incident.id, created, needs_handling, alert.fingerprint)


def _recently_closed(session: Session, alert: Alert, since: datetime) -> Incident | None:
    closed = session.scalars(
        select(Incident).where(Incident.fingerprint == alert.fingerprint,
                               Incident.open_key.is_(None), Incident.resolved_at >= since)
        .order_by(Incident.id.desc())
    ).first()
    low = alert.labels.get("severity", "").lower() in LOW_SEVERITY_LABELS
    return closed if closed is not None and (low or closed.severity_level == "low") else None


def _flap(session: Session, incident: Incident, alert: Alert, payload: dict, actor: str,
          now: datetime) -> Ingested:
    flaps = session.get(IncidentFlaps, incident.id) or IncidentFlaps(incident_id=incident.id,
                                                                      flaps=0)
    flaps.flaps += 1
    flaps.last_flap_at = now
    session.add(flaps)
    incident.alert_count += 1
    incident.last_seen = now
    audit.record(session, event="alert_flapped", actor=actor, incident_id=incident.id,
                 clock=lambda: now, alert=alert.name, flaps=flaps.flaps,
                 closed_at=incident.resolved_at.isoformat())
    session.add(AlertRecord(incident_id=incident.id, fingerprint=alert.fingerprint,
                            status=alert.status, payload=payload, received_at=now))
    return Ingested(incident.id, False, False, alert.fingerprint)


def flaps(session: Session, incident_id: int) -> int:
    """Return how many times a closed incident's alert fired again within the cooldown."""
    found = session.get(IncidentFlaps, incident_id)
    return found.flaps if found is not None else 0


def close(session: Session, incident: Incident, state: str, outcome: str, *, actor: str,
          now: datetime | None = None) -> None:
    """Move an incident to a terminal state so the next alert opens a new one."""
    incident.state = state
    incident.outcome = outcome
    incident.open_key = None
    incident.handled = True
    incident.resolved_at = now or utcnow()
    audit.record(session, event="incident_closed", actor=actor, incident_id=incident.id,
                 clock=lambda: incident.resolved_at, state=state, outcome=outcome)


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


def summary(incident: Incident) -> dict:
    """Return the short form of an incident, for lists."""
    return {
        "id": incident.id, "state": incident.state, "title": incident.title,
        "type": incident.alert_type, "severity_score": incident.severity_score,
        "severity_level": incident.severity_level, "decided_by": incident.decided_by,
        "alerts": incident.alert_count, "last_seen": _iso(incident.last_seen),
    }


def list_incidents(session: Session, *, state: str | None = None, limit: int = 100) -> list[dict]:
    """Return incidents, newest first."""
    query = select(Incident).order_by(Incident.id.desc()).limit(limit)
    if state:
        query = query.where(Incident.state == state)
    return [summary(i) for i in session.scalars(query)]


def detail(session: Session, incident_id: int) -> dict:
    """Return everything about an incident: decision, plan, approvals, actions, timeline."""
    incident = get(session, incident_id)
    approvals = session.scalars(select(Approval).where(Approval.incident_id == incident_id)
                                .order_by(Approval.id)).all()
    actions = session.scalars(select(ActionRun).where(ActionRun.incident_id == incident_id)
                              .order_by(ActionRun.id)).all()
    ran = {a.tool: a for a in actions}
    plan = [{**step, "execution": ran[step["tool"]].status if step["tool"] in ran else None}
            for step in incident.plan or []]
    return {
        **summary(incident),
        "fingerprint": incident.fingerprint,
        "first_seen": _iso(incident.first_seen),
        "alert": incident.alert,
        "decision_note": incident.decision_note,
        "diagnosis": incident.diagnosis,
        "plan": plan,
        "verdict": incident.verdict,
        "approvals": [approval_view(a) for a in approvals],
        "actions": [{"tool": a.tool, "args": a.args, "status": a.status, "result": a.result,
                     "effective": a.effective, "started_at": _iso(a.started_at)}
                    for a in actions],
        "outcome": incident.outcome,
        "flaps": flaps(session, incident_id),
        "timeline": audit.entries(session, incident_id=incident_id),
    }


def approval_view(approval: Approval) -> dict:
    """Return an approval with its context, for people deciding on it."""
    return {
        "id": approval.id, "incident_id": approval.incident_id, "status": approval.status,
        "actions": approval.actions, "digest": approval.digest, "context": approval.context,
        "requested_at": _iso(approval.requested_at), "expires_at": _iso(approval.expires_at),
        "decided_by": approval.decided_by, "decided_at": _iso(approval.decided_at),
        "comment": approval.comment,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
