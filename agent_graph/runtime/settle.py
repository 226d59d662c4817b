"""Settle `verifying` incidents on live labelled traffic, and revert a champion that hurt.

Verify ends the thread with the incident `verifying` instead of holding a worker: the
worker's periodic sweep calls `sweep`, which measures each such incident (a few counts
while labels are lacking) and, once there are enough, closes it with the measured change.
A new champion measurably worse than the one it replaced is reverted at once: going back
to a known-good version is a safe action, still bound by the budgets and cooldowns.
"""

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update

from agent_graph import policy
from agent_graph.runtime import collect
from agent_graph.runtime.store import claim_action, finish_action, mark_effective, usage
from core import audit, work
from core.incidents import close, get
from core.tables import Incident
from ml.training.outcome import Outcome, measure
from tools import TOOLS

log = logging.getLogger(__name__)

FINAL = {"fixed": "resolved", "not_fixed": "escalated", "regressed": "failed"}
HEADLINE = {"resolved": "fixed (measured)", "escalated": "not fixed, a person decides",
            "failed": "the new model was worse"}
SEVERITIES = ("low", "medium", "high")


def sweep(agent, *, owner: str | None = None, lease_seconds: float = 60.0) -> list[int]:
    """Measure every verifying incident; return the ids settled now.

    Each incident's step runs under the lease the agent's durable work uses
    (`core.work.hold`), taken as `owner` (the worker; this call's own name if None): an
    incident another worker holds, sweeping it or advancing it, is skipped and judged on a
    later tick. A sweep that dies holding one leaves a lease that expires.
    """
    owner = owner or f"{socket.gethostname()}:{os.getpid()}:sweep-{uuid.uuid4().hex[:8]}"
    with agent.sessions() as session:
        waiting = session.scalars(select(Incident.id).where(Incident.state == "verifying")
                                  .order_by(Incident.id)).all()
    settled = []
    for incident_id in waiting:
        clock = agent.context.clock
        if not work.hold(agent.sessions, incident_id, owner=owner, lease_seconds=lease_seconds,
                         now=clock()):
            log.debug("incident %d: held by another worker, swept later", incident_id)
            continue
        try:
            with work.Heartbeat(agent.sessions, owner=owner, incident_id=incident_id,
                                lease_seconds=lease_seconds, clock=clock):
                closed = _step(agent, incident_id)
        finally:
            work.let_go(agent.sessions, incident_id, owner=owner)
        if closed:
            settled.append(incident_id)
    return settled


def _step(agent, incident_id: int) -> bool:
    """Judge or measure one verifying incident, its lease held; True if it closed."""
    with agent.sessions() as session:  # another worker may have settled it meanwhile
        if session.scalar(select(Incident.state).where(Incident.id == incident_id)) \
                != "verifying":
            return False
    watch = agent.state(incident_id).get("watch")
    if watch and watch.get("kind") == "gate":
        return collect.rejudge(agent, incident_id, watch)
    if watch and watch.get("kind") == "shadow":
        return collect.shadow(agent, incident_id, watch)
    return settle(agent.context_for(incident_id), incident_id, watch)


def settle(context, incident_id: int, watch: dict | None) -> bool:
    """Close one verifying incident if its outcome can be measured now; True if closed."""
    if not watch:
        return _close(context, incident_id, "escalated",
                      "verifying without a record of what to measure: a person decides")
    found = _measure(context, watch)
    if found.verdict == "waiting":
        return False
    if not _claim(context, incident_id):
        return False
    mark_effective(context.sessions, watch["run_id"], found.verdict == "fixed")
    line = found.line
    if found.verdict == "regressed":
        line = f"{line}; {revert(context, incident_id, watch, found)}"
    return _close(context, incident_id, FINAL[found.verdict], line, claimed=True)


def _measure(context, watch: dict) -> Outcome:
    """Measure what the watch names: a champion move (the default), or serving health."""
    since, now = datetime.fromisoformat(watch["since"]), context.clock()
    config = context.tools.heal.verify
    if watch.get("kind") == "serving":
        from ml.monitoring import definitions
        from ml.serving import outcome as serving_outcome

        return serving_outcome.measure(
            context.sessions, definitions.load(context.tools.monitors_config),
            earlier=watch.get("before") or {}, since=since, now=now,
            deadline=timedelta(minutes=config.reload_deadline_minutes),
            model=context.tools.spec.name)
    return measure(context.sessions, context.tools.registry, before=watch["before"],
                   after=watch["after"], since=since, now=now, config=config,
                   spec=context.tools.spec)


def revert(context, incident_id: int, watch: dict, found: Outcome) -> str:
    """Put the replaced version back as champion, within budgets; say what happened."""
    registry, before, after = context.tools.registry, watch["before"], watch["after"]
    if registry.alias("previous") == before:
        tool, args = "rollback", {"expected_champion": after}
    else:
        tool, args = "promote", {"version": before, "expected_champion": after}
    now = context.clock()
    used = usage(context.sessions, context.model_name, now,
                 context.config.budget.window_hours)
    problems = policy.budget_problems([policy.planned(tool, args)], context.config, used, now)
    if problems:
        _audit(context, incident_id, "revert_refused", tool=tool, reasons=problems)
        return f"automatic revert to v{before} refused ({'; '.join(problems)}): a person decides"
    key = policy.action_key(incident_id, f"revert:{watch['run_id']}", tool, args)
    run = claim_action(context.sessions, key=key, incident_id=incident_id,
                       model=context.model_name, tool=tool, args=args)
    if run is None:
        return f"reverted to v{before} earlier"
    result = TOOLS[tool](context.tools, args)
    finish_action(context.sessions, run.id, status=result.status, result=result.model_dump(),
                  now=now)
    _audit(context, incident_id, "auto_revert", tool=tool, status=result.status,
           measured=found.line)
    if result.status != "success":
        return f"automatic revert to v{before} failed ({result.message}): a person decides"
    return f"reverted automatically to v{before}"


def _claim(context, incident_id: int) -> bool:
    """Take the incident from `verifying` so that one sweep alone settles it."""
    with context.sessions.begin() as session:
        return bool(session.execute(
            update(Incident).where(Incident.id == incident_id, Incident.state == "verifying")
            .values(state="settling")).rowcount)


def _close(context, incident_id: int, state: str, outcome: str, *, claimed: bool = False) -> bool:
    with context.sessions.begin() as session:
        incident = get(session, incident_id)
        if incident.state != ("settling" if claimed else "verifying"):
            return False
        close(session, incident, state, outcome, actor="medic agent", now=context.clock())
        severity = incident.severity_level  # the routes send it as far as the alert went
    context.tools.notifier.send(f"Medic incident {incident_id}: {state} — {HEADLINE[state]}",
                                outcome, incident_id=incident_id,
                                kind="outcome" if state == "resolved" else "escalation",
                                severity=severity if severity in SEVERITIES else None)
    log.info("incident %d settled: %s", incident_id, outcome)
    return True


def _audit(context, incident_id: int, event: str, **details) -> None:
    with context.sessions.begin() as session:
        audit.record(session, event=event, actor="medic agent", incident_id=incident_id,
                     clock=context.clock, **details)
