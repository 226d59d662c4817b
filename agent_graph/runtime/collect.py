"""Judge a retrain's challenger again as labels arrive, within the incident.

Either the gate could not decide on held-back rows, or the version passed it and is held in
shadow to earn its promotion on live traffic (`shadow` below). The gate keeps a new version
challenger when its interval cannot yet tell it from the champion. The incident stays
`verifying` ("undecided: collecting rows"); each sweep judges the challenger again on every
labelled row since its judging rows began. Promoted: the incident goes on verifying the
champion move on live traffic. Refused: closed as judged, not fixed. Still undecided after
`gate.collect_hours`: a person decides.
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
    return _promoted(agent, context, incident_id, watch, champion, challenger,
                     f"the gate judged it again on {rows} labelled rows and promoted it ({why})")


def shadow(agent, incident_id: int, watch: dict) -> bool:
    """Judge a challenger in shadow on the live rows both models scored; True if closed.

    The gate's rule on the labelled live rows (`ml.training.rollout_evidence`): promote
    moves the alias (compare-and-set on the champion the shadow started beside) and the
    incident goes on verifying the move; abort ends the shadow and closes the incident as
    not fixed; undecided past `shadow.deadline_hours` hands it to a person, the shadow left
    running for them to promote or abort. A rollout a person moved meanwhile is theirs.
    """
    from agent_graph.runtime.settle import _close as close
    from core import rollouts
    from ml.training.rollout_evidence import decide, evidence

    context = agent.context_for(incident_id)
    tools = context.tools
    model, challenger, champion = tools.spec.name, watch["challenger"], watch["champion"]
    state = rollouts.read(context.sessions, model)
    if state is None or state.challenger != challenger or not state.live:
        found = f"{state.stage} (v{state.challenger})" if state else "gone"
        return close(context, incident_id, "escalated",
                     f"the shadow of v{challenger} is {found}: no longer the agent's to judge; "
                     "a person decides")
    found = evidence(context.sessions, tools.spec, state, tools.heal)
    verdict = decide(found, tools.heal, now=context.clock())
    with context.sessions.begin() as session:
        audit.record(session, event="shadow_judged", actor="medic agent",
                     incident_id=incident_id, clock=context.clock, decision=verdict.decision,
                     reason=verdict.reason, paired=found.paired, rows=found.rows,
                     agreement=found.agreement)
    agreement = f", agreeing on {found.agreement:.0%}" if found.agreement is not None else ""
    seen = f"{found.rows} labelled live rows of {found.paired} both scored{agreement}"
    if verdict.decision == "abort":
        rollouts.change(context.sessions, model, expected=state.revision, stage="aborted",
                        actor="medic agent", reason=verdict.reason, clock=context.clock)
        mark_effective(context.sessions, watch["run_id"], False)
        return close(context, incident_id, "escalated",
                     f"not fixed: in shadow, v{challenger} did worse than v{champion} on "
                     f"{seen} ({verdict.reason}); the shadow is aborted, v{champion} serves")
    if verdict.decision == "undecided":
        since = datetime.fromisoformat(watch["started_at"])
        if context.clock() >= since + timedelta(hours=tools.heal.shadow.deadline_hours):
            return close(context, incident_id, "escalated",
                         f"undecided after {tools.heal.shadow.deadline_hours:g} h in shadow: "
                         f"{seen} ({verdict.reason}); v{challenger} stays in shadow — a "
                         f"person promotes or aborts it (`medic models rollout {model}`)")
        _outcome(context, incident_id, f"in shadow: v{challenger} beside v{champion}, "
                                       f"{seen}; {verdict.reason}")
        return False
    why = f"promoted on live traffic in shadow: {seen} ({verdict.reason})"
    if tools.registry.alias("champion") != challenger:  # a sweep that died after this
        tools.registry.promote(challenger, expected=champion, actor="medic agent", reason=why)
    rollouts.change(context.sessions, model, expected=state.revision, stage="promoted",
                    actor="medic agent", reason=why, clock=context.clock)
    return _promoted(agent, context, incident_id, watch, champion, challenger, why)


def _promoted(agent, context, incident_id: int, watch: dict, champion: str, challenger: str,
              how: str) -> bool:
    """Go on verifying the champion move the challenger's promotion made; tell people."""
    agent.remember(incident_id, watch={"run_id": watch["run_id"], "tool": watch["tool"],
                                       "before": champion, "after": challenger,
                                       "since": context.clock().isoformat()})
    line = (f"verifying: v{challenger} replaced v{champion} — {how}; waiting for labelled "
            "predictions to measure the change")
    _outcome(context, incident_id, line)
    context.tools.notifier.send(f"Medic incident {incident_id}: v{challenger} promoted", line,
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
