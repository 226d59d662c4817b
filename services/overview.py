"""Summarise Medic's state for people: every model's state, then one model's in full."""

from datetime import timedelta

from sqlalchemy import func, select

from core import monitor_states, rollup
from core.incidents import OPEN_STATES, summary
from core.oncall import OnCall
from core.plans import PlannedAction
from core.tables import Approval, Incident
from services import silences, watched
from services.context import Medic
from services.monitors.series import latest
from services.views import (
    ModelNow,
    ModelState,
    OnDuty,
    OpenIncidents,
    Overview,
    Traffic,
    Waiting,
)

WORST_FIRST = ("critical", "warning", "insufficient_data", "ok")


def overview(medic: Medic, *, serving: str | None = None,
             model: str | None = None) -> Overview:
    """Return every model's state; `model`'s champion, traffic, incidents, approvals, monitors.

    `model` defaults to the default model (an unknown name is NotFound listing the known
    ones); `serving` is the version the API serves of it, when the caller knows. Silences
    and on-call are everyone's.
    """
    model = watched.checked(medic, model)
    now = medic.clock()
    registry = watched.registry_of(medic, model)
    champion = registry.recorded_alias("champion")
    promoted = next((h for h in reversed(registry.history())
                     if h.alias == "champion" and h.version == champion), None)
    with medic.sessions() as session:
        day = rollup.predictions_since(session, now - timedelta(hours=24), model=model)
        hour = rollup.predictions_since(session, now - timedelta(hours=1), model=model)
        mine = Incident.state.in_(OPEN_STATES) & (Incident.model == model)
        opened = list(session.scalars(select(Incident).where(mine)
                                      .order_by(Incident.id.desc()).limit(20)))
        open_count = session.scalar(select(func.count()).select_from(Incident).where(mine))
        waiting = list(session.scalars(  # by its incident's model: the approval's own
            select(Approval).join(Incident, Approval.incident_id == Incident.id)  # is unset
            .where(Approval.status == "pending", Incident.model == model)
            .order_by(Approval.expires_at)))
    duty = OnCall.load(medic.settings.oncall)
    return Overview(
        models=states(medic),
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
        monitors=latest(medic.sessions, model=model),
        silences=silences.listing(medic),
        oncall=OnDuty(now=duty.on_call(now), next=duty.next_up(now)),
    )


def states(medic: Medic) -> list[ModelState]:
    """Return every spec's model, the default first: champion, worst monitor, open incidents.

    The champion is the app database's record (no MLflow call); the worst state is over
    each monitor's last check.
    """
    from ml import spec as specs

    default = medic.settings.default_model
    with medic.sessions() as session:
        opened = dict(session.execute(select(Incident.model, func.count())
                                      .where(Incident.state.in_(OPEN_STATES))
                                      .group_by(Incident.model)).all())
    return [ModelState(name=spec.name, task=spec.task, default=spec.name == default,
                       champion=watched.registry_of(medic, spec.name).recorded_champion(),
                       worst=_worst(medic, spec.name), open_incidents=opened.get(spec.name, 0))
            for spec in specs.every(medic.settings)]


def _worst(medic: Medic, model: str) -> str | None:
    """Return the worst last state among `model`'s monitors; None when none was checked."""
    found = {result["state"] for result, _at
             in monitor_states.load_results(medic.sessions, model=model).values()}
    return next((state for state in WORST_FIRST if state in found), None)
