"""Decide approvals, list what waits, expire what nobody decided in time."""

from sqlalchemy import select

from core import incidents
from core.approvals import acknowledge_approval, decide_approval
from core.errors import NotFound, PolicyError
from core.roles import Principal, require
from core.tables import Approval, Incident
from core.views import ApprovalView
from services.context import Medic
from services.views import Decided


def pending(medic: Medic) -> list[ApprovalView]:
    """Return approvals waiting for a person, oldest first."""
    with medic.sessions() as session:
        rows = session.scalars(select(Approval).where(Approval.status == "pending")
                               .order_by(Approval.id))
        return [incidents.approval_view(a) for a in rows]


def decide(medic: Medic, approval_id: int, *, principal: Principal, approve: bool,
           comment: str = "", channel: str = "console") -> Decided:
    """Approve or reject (approver role); the agent is woken to act. Repeats are harmless.

    The database decides between two people deciding at once: the first decision wins,
    the same decision again is a no-op, the opposite one is refused. Under the two-person
    rule an approval counts once per key holder and the plan runs at the second; one
    reject ends it.
    """
    require(principal, "decide")
    wanted = "approved" if approve else "rejected"
    decided = decide_approval(medic.sessions, approval_id, status=wanted, by=principal.name,
                              role=principal.role, now=medic.clock(), comment=comment,
                              channel=channel)
    if decided.claimed and decided.status != "pending":
        medic.on_work()
    if not decided.claimed and decided.status != wanted:
        raise PolicyError(f"approval {approval_id} is already {decided.status}; nothing changed")
    if decided.status == "expired":
        raise PolicyError(f"approval {approval_id} expired before it was decided")
    return view(medic, approval_id)


def acknowledge(medic: Medic, approval_id: int, *, principal: Principal,
                channel: str = "console") -> Decided:
    """Say "I'm looking" (approver role): the escalation stops; nothing is decided.

    The first acknowledgement counts; one after it, or after a decision, changes nothing.
    """
    require(principal, "decide")
    acknowledge_approval(medic.sessions, approval_id, by=principal.name, role=principal.role,
                         now=medic.clock(), channel=channel)
    return view(medic, approval_id)


def view(medic: Medic, approval_id: int) -> Decided:
    """Return one approval and its incident's state."""
    with medic.sessions() as session:
        found = session.get(Approval, approval_id)
        if found is None:
            raise NotFound(f"no approval {approval_id}")
        state = session.get(Incident, found.incident_id).state
        return Decided(**incidents.approval_view(found).model_dump(), incident_state=state)


def expire(medic: Medic) -> list[int]:
    """Expire overdue approvals now (fail closed); the worker also does this on its own."""
    expired = medic.ensure_agent().expire()
    if expired:
        medic.on_work()
    return expired
