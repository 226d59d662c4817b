"""Show incidents: lists with filters, and one incident whole; prune old agent threads."""

from datetime import timedelta

from agent_graph import retention
from core import incidents
from core.roles import Principal, require
from services.context import Medic
from services.views import IncidentDetail, IncidentSummary, Pruned


def listing(medic: Medic, *, state: str | None = None, limit: int = 100) -> list[IncidentSummary]:
    """Return incidents, newest first, optionally in one state."""
    with medic.sessions() as session:
        return [IncidentSummary(**row)
                for row in incidents.list_incidents(session, state=state, limit=limit)]


def detail(medic: Medic, incident_id: int) -> IncidentDetail:
    """Return one incident: decision, plan, approvals, actions, outcome, timeline."""
    with medic.sessions() as session:
        return IncidentDetail(**incidents.detail(session, incident_id))


def prune_checkpoints(medic: Medic, *, principal: Principal, older_than: timedelta) -> Pruned:
    """Delete the agent's checkpoints of incidents closed more than `older_than` ago (admin)."""
    require(principal, "prune")
    agent = medic.ensure_agent()
    pruned = retention.prune(agent, older_than=older_than, actor=principal.name,
                             now=medic.clock())
    return Pruned(incidents=pruned, older_than_hours=older_than.total_seconds() / 3600)
