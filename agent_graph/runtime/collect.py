"""Judge a retrain's undecided challenger again as labels arrive, within the incident.

The gate keeps a new version challenger when its interval cannot yet tell it from the
champion. The incident stays `verifying` ("undecided: collecting rows"); each sweep judges
the challenger again on every labelled row since its judging rows began. Promoted: the
incident goes on verifying the champion move on live traffic. Refused: closed as judged,
not fixed. Still undecided after `gate.collect_hours`: a person decides.
"""

import logging
from datetime import datetime, timedelta

from agent_graph.runtime.store import mark_effective
from core import audit
from core.incidents import get
from ml.training import heal

log = logging.getLogger(__name__)


def rejudge(agent, incident_id: int, watch: dict) -> bool:
    """Judge the challenger again; return True if the incident closed."""
    from agent_graph.runtime.settle import _close as close  # one way to close a verifying incident

    context = agent.context_for(incident_id)
    tools = context.tools
    registry, config = tools.registry, tools.heal.gate
    champion, challenger = watch["champion"], watch["challenger"]
    now_champion, now_challenger = registry.alias("champion"), registry.alias("challenger")
    if (now_champion, now_challenger) != (champion, challenger):
        return close(context, incident_id, "escalated",
                     f"undecided: v{challenger} was not judged again — the champion is now "
                     f"v{now_champion} and the challenger v{now_challenger}; a person decides")
    verdict = heal.rejudge(
        context.sessions, registry, champion=champion, challenger=challenger,
        since=datetime.fromisoformat(watch["production_since"]),
        judge_since=datetime.fromisoformat(watch["judge_since"]),
        reference=heal.holdout(tools.data_dir, tools.training, tools.spec), config=config,
        actor="medic agent", spec=tools.spec)
    rows = verdict.score("challenger", "production").rows
    why = verdict.reason.split(": ", 1)[-1].removeprefix("collecting rows — ")
    _audit(context, incident_id, verdict=verdict.verdict, rows=rows, reason=verdict.reason,
           interval=verdict.interval.model_dump() if verdict.interval else None)
    if verdict.verdict == "refused":
        mark_effective(context.sessions, watch["run_id"], False)
        return close(context, incident_id, "escalated",
                     f"not fixed: the gate refused v{challenger} on {rows} labelled rows: {why}")
    if verdict.verdict == "undecided":
        if context.clock() >= datetime.fromisoformat(watch["since"]) + timedelta(
                hours=config.collect_hours):
            return close(context, incident_id, "escalated",
                         f"undecided after {config.collect_hours:g} h: v{challenger} stays "
                         f"challenger, the gate could not tell it from v{champion} — "
                         f"{why}; a person decides (promote it, or retrain later)")
        _outcome(context, incident_id, f"undecided: collecting rows — v{challenger} stays "
                                       f"challenger, judged against v{champion} again as labels "
                                       f"arrive ({why})")
        return False
    moved = {"run_id": watch["run_id"], "tool": watch["tool"], "before": champion,
             "after": challenger, "since": context.clock().isoformat()}
    agent.remember(incident_id, watch=moved)
    line = (f"verifying: v{challenger} replaced v{champion} — the gate judged it again on "
            f"{rows} labelled rows and promoted it ({why}); waiting for labelled "
            "predictions to measure the change")
    _outcome(context, incident_id, line)
    tools.notifier.send(f"Medic incident {incident_id}: v{challenger} promoted", line,
                        incident_id=incident_id, kind="outcome")
    log.info("incident %d: %s", incident_id, line)
    return False


def _outcome(context, incident_id: int, line: str) -> None:
    with context.sessions.begin() as session:
        incident = get(session, incident_id)
        if incident.state == "verifying":
            incident.outcome = line


def _audit(context, incident_id: int, **details) -> None:
    with context.sessions.begin() as session:
        audit.record(session, event="gate_judged_again", actor="medic agent",
                     incident_id=incident_id, clock=context.clock, **details)
