"""Incidents, approvals, chat and the audit log."""

from typing import Annotated

from fastapi import Query

from agent_graph.chat.answer import ChatAnswer
from api.deps import Caller, Id, MedicDep, OptionalId, Reader
from api.routing import Router
from api.schemas import ChatRequest, Decision
from core.views import ApprovalView, IncidentDetail, IncidentSummary
from services import approvals, audit, chat, incidents
from services.views import AuditView, Decided

router = Router(prefix="/v1", tags=["incidents"])


@router.get("/incidents", response_model=list[IncidentSummary])
def list_incidents(medic: MedicDep, _caller: Reader, state: str | None = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[IncidentSummary]:
    """List incidents, newest first."""
    return incidents.listing(medic, state=state, limit=limit)


@router.get("/incidents/{incident_id}", response_model=IncidentDetail)
def incident(incident_id: Id, medic: MedicDep, _caller: Reader) -> IncidentDetail:
    """One incident: timeline, diagnosis, decision, who decided, approvals, actions, outcome."""
    return incidents.detail(medic, incident_id)


@router.get("/approvals", response_model=list[ApprovalView])
def pending_approvals(medic: MedicDep, _caller: Reader) -> list[ApprovalView]:
    """Pending approvals with their context."""
    return approvals.pending(medic)


@router.post("/approvals/{approval_id}/approve", response_model=Decided)
def approve(approval_id: Id, medic: MedicDep, principal: Caller,
            decision: Decision | None = None) -> Decided:
    """Approve exactly the plan bound to this approval (approver role); twice is harmless."""
    return approvals.decide(medic, approval_id, principal=principal, approve=True,
                            comment=(decision or Decision()).comment, channel="api")


@router.post("/approvals/{approval_id}/reject", response_model=Decided)
def reject(approval_id: Id, medic: MedicDep, principal: Caller,
           decision: Decision | None = None) -> Decided:
    """Reject (approver role): nothing runs."""
    return approvals.decide(medic, approval_id, principal=principal, approve=False,
                            comment=(decision or Decision()).comment, channel="api")


@router.post("/approvals/{approval_id}/acknowledge", response_model=Decided)
def acknowledge(approval_id: Id, medic: MedicDep, principal: Caller) -> Decided:
    """Say "I'm looking" (approver role): the escalation stops; nothing is decided."""
    return approvals.acknowledge(medic, approval_id, principal=principal, channel="api")


@router.post("/chat", response_model=ChatAnswer)
def ask(body: ChatRequest, medic: MedicDep, _caller: Reader) -> ChatAnswer:
    """Answer a status question (read-only)."""
    return chat.ask(medic, body.question)


@router.get("/audit", response_model=AuditView)
def audit_log(medic: MedicDep, _caller: Reader, incident_id: OptionalId = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> AuditView:
    """The newest audit entries and whether the chain verifies."""
    return audit.overview(medic, incident_id=incident_id, limit=limit)
