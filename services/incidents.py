"""Show incidents: lists with filters, and one incident whole."""

from core import incidents
from services.context import Medic
from services.views import IncidentDetail, IncidentSummary


def listing(medic: Medic, *, state: str | None = None, limit: int = 100) -> list[IncidentSummary]:
    """Return incidents, newest first, optionally in one state."""
    with medic.sessions() as session:
        return [IncidentSummary(**row)
                for row in incidents.list_incidents(session, state=state, limit=limit)]


def detail(medic: Medic, incident_id: int) -> IncidentDetail:
    """Return one incident: decision, plan, approvals, actions, outcome, timeline."""
    with medic.sessions() as session:
        return IncidentDetail(**incidents.detail(session, incident_id))
