"""Decide approvals, list what waits, expire what nobody decided in time."""

from sqlalchemy import select, update

from core import audit, incidents, work
from core.errors import NotFound, PolicyError
from core.roles import Principal, require
from core.tables import Approval, Incident
from services.context import Medic
from services.views import ApprovalView, Decided


def pending(medic: Medic) -> list[ApprovalView]:
    """Return approvals waiting for a person, oldest first."""
    with medic.sessions() as session:
        rows = session.scalars(select(Approval).where(Approval.status == "pending")
                               .order_by(Approval.id))
        return [ApprovalView(**incidents.approval_view(a)) for a in rows]


def decide(medic: Medic, approval_id: int, *, principal: Principal, approve: bool,
           comment: str = "", channel: str = "console") -> Decided:
    """Approve or reject (approver role); the agent is woken to act. Repeats are harmless.

    The database decides between two people deciding at once: the first decision wins,
    the same decision again is a no-op, the opposite one is refused. Under the two-person
    rule an approval counts once per key holder and the plan runs at the second; one
    reject ends it.
    """
    require(principal, "decide")
    now = medic.clock()
    with medic.sessions.begin() as session:
        # write the row first: it is locked until the end, so decisions on it take turns
        session.execute(update(Approval).where(Approval.id == approval_id)
                        .values(required=Approval.required))
        found = session.get(Approval, approval_id, populate_existing=True)
        if found is None:
            raise NotFound(f"no approval {approval_id}")
        approvers = list(found.approved_by or [])
        status = "approved" if approve else "rejected"
        if found.status == "pending" and found.expires_at <= now:
            status = "expired"
        elif status == "approved" and found.status == "pending":
            if principal.name in approvers:
                raise PolicyError(f"{principal.name} approved already: approval {approval_id} "
                                  f"needs {found.required} different approvers")
            approvers.append(principal.name)
            if len(approvers) < found.required:
                status = "pending"  # one of two: the plan waits for a second approver
        claimed = session.execute(
            update(Approval).where(Approval.id == approval_id, Approval.status == "pending")
            .values(status=status, approved_by=approvers,
                    **({} if status == "pending" else {
                        "decided_by": principal.name, "decided_role": principal.role,
                        "decided_at": now, "comment": comment[:2000]}))).rowcount
        if claimed:
            event = f"approval_{status}" if status != "pending" else "approval_first_of_two"
            audit.record(session, event=event, actor=principal.name,
                         incident_id=found.incident_id, approval_id=approval_id,
                         role=principal.role, comment=comment[:2000], digest=found.digest,
                         channel=channel, approvers=f"{len(approvers)} of {found.required}")
            if status != "pending":
                work.wake(session, found.incident_id)
        current = session.get(Approval, approval_id, populate_existing=True).status
    if claimed and status != "pending":
        medic.on_work()
    if not claimed and current != status:
        raise PolicyError(f"approval {approval_id} is already {current}; nothing changed")
    if status == "expired":
        raise PolicyError(f"approval {approval_id} expired before it was decided")
    return view(medic, approval_id)


def acknowledge(medic: Medic, approval_id: int, *, principal: Principal,
                channel: str = "console") -> Decided:
    """Say "I'm looking" (approver role): the escalation stops; nothing is decided.

    The first acknowledgement counts; one after it, or after a decision, changes nothing.
    """
    require(principal, "decide")
    with medic.sessions.begin() as session:
        found = session.get(Approval, approval_id)
        if found is None:
            raise NotFound(f"no approval {approval_id}")
        if found.status != "pending":
            raise PolicyError(f"approval {approval_id} is already {found.status}; "
                              "nothing to acknowledge")
        claimed = session.execute(
            update(Approval).where(Approval.id == approval_id, Approval.status == "pending",
                                   Approval.acknowledged_at.is_(None))
            .values(acknowledged_by=principal.name, acknowledged_at=medic.clock())).rowcount
        if claimed:
            audit.record(session, event="approval_acknowledged", actor=principal.name,
                         incident_id=found.incident_id, approval_id=approval_id,
                         role=principal.role, channel=channel)
    return view(medic, approval_id)


def view(medic: Medic, approval_id: int) -> Decided:
    """Return one approval and its incident's state."""
    with medic.sessions() as session:
        found = session.get(Approval, approval_id)
        if found is None:
            raise NotFound(f"no approval {approval_id}")
        state = session.get(Incident, found.incident_id).state
        return Decided(**incidents.approval_view(found), incident_state=state)


def expire(medic: Medic) -> list[int]:
    """Expire overdue approvals now (fail closed); the worker also does this on its own."""
    expired = medic.ensure_agent().expire()
    if expired:
        medic.on_work()
    return expired
