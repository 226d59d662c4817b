"""Show incidents: lists and pages with filters, one incident whole; prune old agent threads."""

from datetime import timedelta

from agent_graph.runtime import retention
from core import incidents
from core.roles import Principal, require
from core.views import IncidentDetail, IncidentSummary
from services.context import Medic
from services.views import IncidentPage, Pruned, page_bounds


def listing(medic: Medic, *, state: str | None = None, limit: int = 100) -> list[IncidentSummary]:
    """Return incidents, newest first, optionally in one state."""
    with medic.sessions() as session:
        return incidents.list_incidents(session, state=state, limit=limit)


def page(medic: Medic, *, state: str | None = None, number: int = 1,
         size: int = 100) -> IncidentPage:
    """Return page `number` (from 1, newest first, clamped to the last) of `size` incidents."""
    with medic.sessions() as session:
        total = incidents.count_incidents(session, state=state)
        number, pages, offset = page_bounds(total, size, number)
        found = incidents.list_incidents(session, state=state, limit=size, offset=offset)
    return IncidentPage(number=number, pages=pages, size=size, total=total,
                        incidents=found)


def detail(medic: Medic, incident_id: int) -> IncidentDetail:
    """Return one incident: decision, plan, approvals, actions, outcome, timeline."""
    with medic.sessions() as session:
        return incidents.detail(session, incident_id)


def prune_checkpoints(medic: Medic, *, principal: Principal, older_than: timedelta) -> Pruned:
    """Delete the agent's checkpoints of incidents closed more than `older_than` ago (admin)."""
    require(principal, "prune")
    agent = medic.ensure_agent()
    pruned = retention.prune(agent, older_than=older_than, actor=principal.name,
                             now=medic.clock())
    return Pruned(incidents=pruned, older_than_hours=older_than.total_seconds() / 3600)
