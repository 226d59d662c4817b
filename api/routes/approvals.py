"""Approvals: what waits for a person, and deciding it (approver role, checked by the service)."""

from api.deps import Caller, Id, MedicDep, Reader
from api.routing import Router
from api.schemas import Decision
from core.views import ApprovalView
from services import approvals
from services.views import Decided

router = Router(prefix="/v1/approvals", tags=["approvals"])


@router.get("", response_model=list[ApprovalView])
def pending_approvals(medic: MedicDep, _caller: Reader) -> list[ApprovalView]:
    """Pending approvals with their context."""
    return approvals.pending(medic)


@router.get("/{approval_id}", response_model=Decided)
def one_approval(approval_id: Id, medic: MedicDep, _caller: Reader) -> Decided:
    """One approval, decided or not, with its context (a shadow's promotion: its evidence)."""
    return approvals.view(medic, approval_id)


@router.post("/{approval_id}/approve", response_model=Decided)
def approve(approval_id: Id, medic: MedicDep, principal: Caller,
            decision: Decision | None = None) -> Decided:
    """Approve exactly the plan bound to this approval (approver role); twice is harmless."""
    return approvals.decide(medic, approval_id, principal=principal, approve=True,
                            comment=(decision or Decision()).comment, channel="api")


@router.post("/{approval_id}/reject", response_model=Decided)
def reject(approval_id: Id, medic: MedicDep, principal: Caller,
           decision: Decision | None = None) -> Decided:
    """Reject (approver role): nothing runs."""
    return approvals.decide(medic, approval_id, principal=principal, approve=False,
                            comment=(decision or Decision()).comment, channel="api")


@router.post("/{approval_id}/acknowledge", response_model=Decided)
def acknowledge(approval_id: Id, medic: MedicDep, principal: Caller) -> Decided:
    """Say "I'm looking" (approver role): the escalation stops; nothing is decided."""
    return approvals.acknowledge(medic, approval_id, principal=principal, channel="api")
