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
    if _asked(context, incident_id, watch) is not None:  # a person decides: see `decided`
        return decided(agent, incident_id, watch)
    state = rollouts.read(context.sessions, model)
    if state is not None and state.challenger == challenger and state.stage == "promoted" \
            and state.actor == "medic agent" and tools.registry.alias("champion") == challenger:
        # a sweep that died after recording its promotion: finish it (verify the move)
        return _promoted(agent, context, incident_id, watch, champion, challenger,
                         state.reason)
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
    if tools.heal.shadow.approve_promotion:
        return _ask(agent, context, incident_id, watch, state, found, verdict, seen)
    why = f"promoted on live traffic in shadow: {seen} ({verdict.reason})"
    if tools.registry.alias("champion") != challenger:  # a sweep that died after this
        tools.registry.promote(challenger, expected=champion, actor="medic agent", reason=why)
    rollouts.change(context.sessions, model, expected=state.revision, stage="promoted",
                    actor="medic agent", reason=why, clock=context.clock)
    return _promoted(agent, context, incident_id, watch, champion, challenger, why)


def _promotion(context, incident_id: int, watch: dict) -> tuple[list, str]:
    """Return the plan a shadow's promotion approval runs, and its digest (one per shadow)."""
    from agent_graph import policy

    plan = [policy.planned("promote", {"version": watch["challenger"],
                                       "expected_champion": watch["champion"]})]
    return plan, policy.digest(incident_id, context.model_name, watch["champion"], plan)


def _asked(context, incident_id: int, watch: dict):
    """Return the approval asked for this shadow's promotion, or None if none was asked."""
    from sqlalchemy import select

    from core.tables import Approval

    _plan, digest = _promotion(context, incident_id, watch)
    with context.sessions() as session:
        return session.scalars(select(Approval).where(
            Approval.incident_id == incident_id, Approval.digest == digest)).first()


def _ask(agent, context, incident_id: int, watch: dict, state, found, verdict,
         seen: str) -> bool:
    """Ask a person to allow the promotion the live evidence earned (once); move nothing.

    The approval's action is the promotion, compare-and-set on the champion the shadow
    started beside; its context carries the evidence (both models on the same labelled live
    rows, the paired improvement, agreement, each segment), which the card, the messages
    and `medic approvals show` render. Asked again by a repeated sweep, it is the same one.
    """
    from agent_graph.phrasing import action
    from agent_graph.runtime.settle import SEVERITIES
    from agent_graph.runtime.store import request_approval
    from ml.training.rollout_evidence import describe

    tools, config = context.tools, context.config
    challenger, champion = watch["challenger"], watch["champion"]
    plan, digest = _promotion(context, incident_id, watch)
    now = context.clock()
    with context.sessions() as session:
        incident = get(session, incident_id)
        severity, score = incident.severity_level, incident.severity_score
    lines = describe(found)
    why = (f"in shadow since {state.started_at:%Y-%m-%d %H:%M} UTC, v{challenger} earned its "
           f"promotion on {seen}: {verdict.reason}")
    asked = request_approval(
        context.sessions, incident_id=incident_id, digest=digest,
        actions=[s.model_dump() for s in plan], requested_at=now,
        expires_at=now + timedelta(minutes=config.approval_ttl_minutes),
        required=config.approvers_needed(plan, now),
        context={"kind": "shadow_promotion", "severity": severity, "score": score,
                 "diagnosis": lines, "champion": champion, "challenger": challenger,
                 "reasons": [why], "evidence": found.model_dump(mode="json"),
                 "decision": verdict.model_dump(mode="json"),
                 "rollout": {"model": state.model, "revision": state.revision,
                             "started_at": state.started_at.isoformat()}},
        on_created=lambda asked: tools.notifier.send(
            f"Medic incident {incident_id}: approval {asked.id} needed",
            f"v{challenger} earned its promotion in shadow beside v{champion} ({seen}); "
            "promoting it waits for your decision. Rejecting it aborts the shadow.",
            incident_id=incident_id, kind="approval",
            severity=severity if severity in SEVERITIES else None, diagnosis=lines,
            actions=[action(s) for s in plan], expires_at=asked.expires_at,
            approval_id=asked.id, digest=digest))
    agent.remember(incident_id, watch={**watch, "approval_id": asked.id})
    line = (f"asked a person: v{challenger} earned its promotion in shadow beside "
            f"v{champion} on {seen}; approval {asked.id} decides ({verdict.reason})")
    with context.sessions.begin() as session:
        incident = get(session, incident_id)
        if incident.state == "awaiting_approval":
            incident.outcome = line
    log.info("incident %d: %s", incident_id, line)
    return False


def decided(agent, incident_id: int, watch: dict) -> bool:
    """Carry out a person's decision on a shadow's promotion; return True if it closed.

    Approved (by an approver or admin): the alias moves as the agent's own promotion would
    (compare-and-set on the champion the shadow started beside), the rollout is `promoted`
    and the incident goes on verifying the move. Rejected: the shadow is aborted and the
    incident escalated. Expired or superseded: nothing is promoted, the shadow is left for a
    person. Called when the decision wakes the incident (`Agent.advance`) and by the sweep;
    each step is skipped when already done, so a run that died midway is finished by the next.
    """
    from agent_graph.runtime.settle import _close as close
    from core import rollouts
    from core.errors import AliasConflict

    context = agent.context_for(incident_id)
    asked = _asked(context, incident_id, watch)
    if asked is None or asked.status == "pending":
        return False
    tools, model = context.tools, context.tools.spec.name
    challenger, champion = watch["challenger"], watch["champion"]
    state = rollouts.read(context.sessions, model)
    ours = state is not None and state.challenger == challenger and \
        state.champion == champion
    by = asked.decided_by or "medic"
    said = f" — “{asked.comment}”" if asked.comment else ""
    if asked.status == "approved" and asked.decided_role in ("approver", "admin"):
        if not ours or state.stage not in ("shadow", "canary", "promoted"):
            _resume(context, incident_id)
            found = f"{state.stage} (v{state.challenger})" if state else "gone"
            return close(context, incident_id, "escalated",
                         f"approval {asked.id} allowed promoting v{challenger}, but the shadow "
                         f"is {found}: nothing promoted; a person decides")
        earned = ((asked.context or {}).get("reasons") or [""])[0]
        why = f"approved by {by} (approval {asked.id}){said}: {earned}"
        try:
            if tools.registry.alias("champion") != challenger:
                tools.registry.promote(challenger, expected=champion, actor=by, reason=why)
        except AliasConflict as moved:
            _resume(context, incident_id)
            return close(context, incident_id, "escalated",
                         f"approval {asked.id} allowed promoting v{challenger}, but {moved}; "
                         "a person decides")
        if state.live:
            rollouts.change(context.sessions, model, expected=state.revision, stage="promoted",
                            actor=by, reason=why, clock=context.clock)
        _resume(context, incident_id)
        return _promoted(agent, context, incident_id, watch, champion, challenger, why)
    _resume(context, incident_id)
    if asked.status == "rejected":
        if ours and state.live:
            rollouts.change(context.sessions, model, expected=state.revision, stage="aborted",
                            actor=by, reason=f"promotion rejected by {by} (approval "
                            f"{asked.id}){said}", clock=context.clock)
        mark_effective(context.sessions, watch["run_id"], False)
        return close(context, incident_id, "escalated",
                     f"not fixed: {by} rejected promoting v{challenger} (approval {asked.id})"
                     f"{said}; the shadow is aborted, v{champion} serves")
    return close(context, incident_id, "escalated",
                 f"the approval to promote v{challenger} is {asked.status} (approval "
                 f"{asked.id}): nothing promoted; v{challenger} stays as it is — a person "
                 f"promotes or aborts it (`medic models rollout {model}`)")


def _resume(context, incident_id: int) -> None:
    """Put an incident that waited on a shadow's promotion approval back to `verifying`.

    `remediating` once the approval was given, `awaiting_approval` otherwise.
    """
    from sqlalchemy import update

    from core.tables import Incident

    with context.sessions.begin() as session:
        session.execute(update(Incident).where(Incident.id == incident_id,
                                               Incident.state.in_(("awaiting_approval",
                                                                   "remediating")))
                        .values(state="verifying"))


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
