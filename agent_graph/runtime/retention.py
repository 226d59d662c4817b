"""Delete the checkpoints of incidents closed longer ago than the retention.

LangGraph keeps every step of every thread; without pruning the checkpointer grows with
each incident forever. A closed incident's record (decision, actions, outcome, audit
timeline) lives in Medic's own tables, so after the retention only the thread goes.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from agent_graph.runtime.checkpoint import thread_findings
from core import audit, incidents
from core.periodic import PeriodicJob
from core.settings import Settings
from core.tables import Incident, PrunedThread

log = logging.getLogger(__name__)

SCHEDULE = "checkpoint-prune"
BATCH = 200  # threads deleted per transaction of records


@dataclass(frozen=True)
class Retention:
    """How long a closed incident's thread is kept (0: forever), and how often to prune."""

    hours: float = 168.0
    interval_seconds: float = 3600.0
    prediction_days: int = 90
    """How long the prediction log is kept (`core/log_retention.py`)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> "Retention":
        """Read `MEDIC_CHECKPOINT_RETENTION_HOURS`, `..._PRUNE_SECONDS` and the log's days."""
        return cls(hours=settings.checkpoint_retention_hours,
                   interval_seconds=settings.checkpoint_prune_seconds,
                   prediction_days=settings.prediction_retention_days)


def prune(agent, *, older_than: timedelta, actor: str = "medic",
          now: datetime | None = None) -> list[int]:
    """Delete the threads of incidents closed more than `older_than` ago; return their ids."""
    now = now or agent.context.clock()
    pruned: list[int] = []
    while True:
        with agent.sessions() as session:
            due = incidents.closed_before(session, now - older_than, limit=BATCH)
        kept = {incident_id: [f.model_dump() for f in
                              thread_findings(agent.checkpointer, incident_id) or []]
                for incident_id in due}
        for incident_id in due:  # deleting twice is harmless if the records below fail
            agent.checkpointer.delete_thread(str(incident_id))
        _record(agent.sessions, kept, actor=actor, now=now, older_than=older_than)
        pruned += due
        if len(due) < BATCH:
            break
    if pruned:
        log.info("pruned the checkpoints of %d incident(s) closed before %s",
                 len(pruned), f"{now - older_than:%Y-%m-%d %H:%M} UTC")
    return pruned


def job(agent, retention: Retention) -> PeriodicJob:
    """Return the worker's pruning job: one worker of all prunes each interval (0 h: never)."""
    return PeriodicJob(SCHEDULE, lambda now: prune(agent, older_than=timedelta(
        hours=retention.hours), now=now), every_seconds=retention.interval_seconds,
        claimed=True, ready=lambda: retention.hours > 0)


def tick(agent, retention: Retention) -> list[int]:
    """Prune if this interval is ours; return the incidents whose threads went."""
    _ran, pruned = job(agent, retention).run_if_ours(agent.sessions, agent.context.clock())
    return pruned or []


def _record(sessions, kept: dict[int, list], *, actor: str, now: datetime,
            older_than: timedelta) -> None:
    """Mark the threads pruned, keeping their findings, with an audit entry each."""
    with sessions.begin() as session:
        for incident_id, findings in kept.items():
            closed = session.get(Incident, incident_id).resolved_at
            session.add(PrunedThread(incident_id=incident_id, pruned_at=now,
                                     findings=findings))
            audit.record(session, event="checkpoints_pruned", actor=actor,
                         incident_id=incident_id, clock=lambda: now,
                         closed_at=closed.isoformat(),
                         retention_hours=round(older_than.total_seconds() / 3600, 2))
