"""Incidents, approvals, chat and the audit log."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Approver, Id, OptionalId, Reader, ServicesDep
from api.schemas import ChatRequest, Decision
from core import audit, incidents

router = APIRouter(prefix="/v1", tags=["incidents"])


@router.get("/incidents")
def list_incidents(services: ServicesDep, _caller: Reader,
                   state: str | None = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    """List incidents, newest first."""
    with services.sessions() as session:
        return incidents.list_incidents(session, state=state, limit=limit)


@router.get("/incidents/{incident_id}")
def incident(incident_id: Id, services: ServicesDep, _caller: Reader) -> dict:
    """One incident: timeline, diagnosis, decision, who decided, approvals, actions, outcome."""
    with services.sessions() as session:
        return incidents.detail(session, incident_id)


@router.get("/approvals")
def approvals(services: ServicesDep, _caller: Reader) -> list[dict]:
    """Pending approvals with their context."""
    return services.agent.pending()


def _decide(services, approval_id: int, principal, approve: bool, comment: str) -> dict:
    view, resume = services.agent.record_decision(approval_id, principal=principal,
                                                  approve=approve, comment=comment)
    if resume:
        services.worker.resume(view["incident_id"], approval_id)
    return view


@router.post("/approvals/{approval_id}/approve")
def approve(approval_id: Id, services: ServicesDep, principal: Approver,
            decision: Decision | None = None) -> dict:
    """Approve exactly the plan bound to this approval; approving twice is harmless."""
    return _decide(services, approval_id, principal, True, (decision or Decision()).comment)


@router.post("/approvals/{approval_id}/reject")
def reject(approval_id: Id, services: ServicesDep, principal: Approver,
           decision: Decision | None = None) -> dict:
    """Reject: nothing runs."""
    return _decide(services, approval_id, principal, False, (decision or Decision()).comment)


@router.post("/chat")
def chat(body: ChatRequest, services: ServicesDep, _caller: Reader) -> dict:
    """Answer a status question (read-only)."""
    return services.agent.ask(body.question).model_dump()


@router.get("/audit")
def audit_log(services: ServicesDep, _caller: Reader, incident_id: OptionalId = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict:
    """The newest audit entries and whether the chain verifies."""
    with services.sessions() as session:
        return {"verified": audit.verify(session).model_dump(),
                "entries": audit.entries(session, incident_id=incident_id, limit=limit)}
