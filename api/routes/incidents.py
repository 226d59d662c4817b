"""Incidents: the list, and one incident whole."""

from typing import Annotated

from fastapi import Query

from api.deps import Id, MedicDep, Reader
from api.routing import Router
from core.views import IncidentDetail, IncidentSummary
from services import incidents

router = Router(prefix="/v1/incidents", tags=["incidents"])


@router.get("", response_model=list[IncidentSummary])
def list_incidents(medic: MedicDep, _caller: Reader, state: str | None = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[IncidentSummary]:
    """List incidents, newest first."""
    return incidents.listing(medic, state=state, limit=limit)


@router.get("/{incident_id}", response_model=IncidentDetail)
def incident(incident_id: Id, medic: MedicDep, _caller: Reader) -> IncidentDetail:
    """One incident: timeline, diagnosis, decision, who decided, approvals, actions, outcome."""
    return incidents.detail(medic, incident_id)
