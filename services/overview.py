"""Summarise Medic's state for people: the model served, traffic, what is open and waiting."""

from datetime import timedelta

from sqlalchemy import func, select

from core import rollup
from core.incidents import OPEN_STATES, summary
from core.oncall import OnCall
from core.plans import PlannedAction
from core.tables import Approval, Incident
from services import silences
from services.context import Medic
from services.monitors.series import latest
from services.views import ModelNow, OnDuty, OpenIncidents, Overview, Traffic, Waiting


def overview(medic: Medic, *, serving: str | None = None) -> Overview:
    """Return the champion and its metrics, traffic, open incidents, approvals, silences."""
    now = medic.clock()
    registry = medic.registry
    champion = registry.recorded_alias("champion")
    promoted = next((h for h in reversed(registry.history())
                     if h.alias == "champion" and h.version == champion), None)
    with medic.sessions() as session:
        day = rollup.predictions_since(session, now - timedelta(hours=24))
        hour = rollup.predictions_since(session, now - timedelta(hours=1))
        opened = list(session.scalars(select(Incident).where(Incident.state.in_(OPEN_STATES))
                                      .order_by(Incident.id.desc()).limit(20)))
        open_count = session.scalar(select(func.count()).select_from(Incident)
                                    .where(Incident.state.in_(OPEN_STATES)))
        waiting = list(session.scalars(select(Approval).where(Approval.status == "pending")
                                       .order_by(Approval.expires_at)))
    duty = OnCall.load(medic.settings.oncall)
    return Overview(
        model=ModelNow(name=registry.name, champion=champion, serving=serving,
                       since=promoted.at.isoformat() if promoted else None,
                       metrics=registry.recorded_version(champion).metrics if champion else {}),
        traffic=Traffic(last_hour=hour, last_day=day),
        open_incidents=OpenIncidents(count=open_count,
                                     newest=[summary(i) for i in opened]),
        pending=[Waiting(id=a.id, incident_id=a.incident_id,
                         actions=[s.tool for s in PlannedAction.all(a.actions)],
                         expires_at=a.expires_at.isoformat(),
                         minutes_left=max(0, int((a.expires_at - now).total_seconds() // 60)),
                         acknowledged_by=a.acknowledged_by, asked=a.asked or [])
                 for a in waiting],
        monitors=latest(medic.sessions, model=medic.settings.default_model),
        silences=silences.listing(medic),
        oncall=OnDuty(now=duty.on_call(now), next=duty.next_up(now)),
    )
