"""Status for people: chat questions (read-only) and the audit log."""

from typing import Annotated

from fastapi import Query

from agent_graph.chat.answer import ChatAnswer
from api.deps import MedicDep, OptionalId, Reader
from api.routing import Router
from api.schemas import ChatRequest
from services import audit, chat
from services.views import AuditView

router = Router(prefix="/v1", tags=["status"])


@router.post("/chat", response_model=ChatAnswer)
def ask(body: ChatRequest, medic: MedicDep, _caller: Reader) -> ChatAnswer:
    """Answer a status question (read-only)."""
    return chat.ask(medic, body.question)


@router.get("/audit", response_model=AuditView)
def audit_log(medic: MedicDep, _caller: Reader, incident_id: OptionalId = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> AuditView:
    """The newest audit entries and whether the chain verifies."""
    return audit.overview(medic, incident_id=incident_id, limit=limit)
