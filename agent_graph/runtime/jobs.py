"""The worker's periodic jobs, one line each: what runs between incidents, and how often.

Adding a job: write its function (or a module of its own) and add a `PeriodicJob` line
to `standard` below. A job that must run once per interval across all workers declares
`claimed=True` and its interval (`core/periodic.py`).
"""

from agent_graph.runtime import retention
from agent_graph.runtime import settle as watch
from core import log_retention
from core.escalation import escalate
from core.periodic import PeriodicJob


def standard(agent, *, outbox=None, monitor=None, owner: str | None = None,
             lease_seconds: float = 60.0) -> list[PeriodicJob]:
    """Return the jobs a worker runs, in order; `outbox` and `monitor` only when given.

    `outbox` is the notification outbox (`core.outbox.Outbox`); `monitor` the monitors'
    scheduled checks (`services.monitors.run.Scheduled`), whose job claims its own interval.
    The sweep runs in every worker, each incident's step under the worker's lease on it
    (`owner`, `lease_seconds`): one worker at a time, never beside the agent's own run.
    """
    jobs = [
        PeriodicJob("approval-expiry", lambda now: agent.expire()),
        PeriodicJob("approval-escalation", lambda now: escalate(
            agent.sessions, agent.context.tools.notifier, agent.oncall, now), every_seconds=10),
        PeriodicJob("verifying-sweep", lambda now: watch.sweep(
            agent, owner=owner, lease_seconds=lease_seconds)),
        retention.job(agent, agent.retention),
        log_retention.job(agent.sessions, agent.retention.prediction_days),
    ]
    if outbox is not None:
        jobs.append(PeriodicJob("notification-delivery", outbox.deliver_due))
    if monitor is not None:
        jobs.append(monitor.job)
    return jobs
