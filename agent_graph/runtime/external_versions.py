"""Notice a new version of a model trained elsewhere, judge it with the gate, and act on it.

A team's pipeline registers a new version of its model's registered name in MLflow (after
Medic's retrain request, or on its own). Once per interval across all workers
(`MEDIC_EXTERNAL_CHECK_SECONDS`), for each external model with a champion Medic recorded,
one MLflow call lists the versions newer than that champion. The newest one never judged
is judged by the promotion gate (`ml.training.gate.judge`, the rule a retrain's challenger
meets) against the champion, both scored as they were logged, on:

- **production**: the model's labelled live rows the new version cannot have learnt from
  through Medic — those logged after the last retrain request's export (the rows the hook
  handed the team end there), else every labelled row of the retrain window (the team
  got no rows from Medic; what it trained on is its own). Both versions are scored on
  the same rows, so the comparison is paired.
- **reference**: the spec's reference hold-out (its split as the monitors read it). The
  team may have trained on all its reference data: a fixed check that can only refuse
  (a loss past `reference_tolerance`), never promote.

Then:

- **passed**, and the version answers an incident of the model that was closed escalated
  after its retrain request was sent (hook sent, the retrain approved by a person) and
  before the version was registered: the champion alias moves by compare-and-set from the
  champion it was judged against (audited, notified; an action of that incident), the
  incident goes back to `verifying`, and the worker's sweep measures the new champion on
  later live labelled traffic exactly as for a Medic-trained champion (`settle.sweep`):
  fixed, not fixed, or a champion that measurably hurt reverted.
- **passed**, but no approved retrain asked for it, or a two-person rule holds for
  `promote`: an approval is opened for the promotion (on that incident, else on an
  incident opened for the version) — a promotion is risky. Approved, it is promoted and
  verified as above; rejected or expired, recorded `rejected`. Newer versions wait.
- **passed**, but recommend-only mode, the promote budget, a cooldown or the ineffective
  count forbids it now: recorded `held`; the notification names the command.
- **refused**: recorded with the gate's numbers, audited, notified; a tied incident's
  outcome says so (it waits for the next version). Never judged again.
- **undecided** (too few labelled rows to tell): kept `collecting` and judged again when
  more labels have arrived; past the gate's `collect_hours`, recorded `undecided` and a
  person decides.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select

from agent_graph import policy
from agent_graph.runtime.store import claim_action, finish_action, usage
from core import audit
from core.periodic import PeriodicJob
from core.tables import ActionRun, ExternalVersion, Feedback, Incident, Prediction

log = logging.getLogger(__name__)

ACTOR = "medic"
FINAL = ("promoted", "refused", "held", "undecided", "rejected", "superseded")
ANSWERED = ("promoted", "approval", "held", "rejected")
"""A version in these answered the incident whose retrain it followed; others leave it waiting."""
STALE_JUDGING = timedelta(minutes=15)
"""A `judging` row older than this was left by a process that died: judged again."""


def job(agent, settings) -> PeriodicJob:
    """Look for new versions of every external model, once per interval across workers."""
    return PeriodicJob("external-versions", lambda now: check(agent, settings, now),
                       every_seconds=settings.external_check_seconds, claimed=True)


def check(agent, settings, now: datetime | None = None) -> dict[str, str]:
    """Judge each external model's newest unjudged version; return {model: what happened}."""
    from ml import spec as specs

    done = {}
    for spec in specs.every(settings):
        if not spec.external:
            continue
        try:
            what = _check_model(agent, spec, now or agent.context.clock())
        except Exception:  # one model's registry or files must not stop the others
            log.warning("new versions of %s could not be checked", spec.name, exc_info=True)
            continue
        if what:
            done[spec.name] = what
    return done


def _check_model(agent, spec, now: datetime) -> str | None:
    context = agent.context_of(spec.name)
    if context.tools.spec.name != spec.name:  # no context of its own: never the wrong model
        return None
    registry = context.tools.registry
    champion = registry.recorded_champion()
    if champion is None:
        return None
    with context.sessions() as session:
        waiting = session.scalar(select(ExternalVersion).where(
            ExternalVersion.model == spec.name, ExternalVersion.status == "approval"))
    if waiting is not None:  # newer versions wait until a person decided on this one
        return _decided(agent, context, spec, waiting, now)
    newer = registry.newer_versions(champion)  # the one MLflow call of a quiet interval
    if not newer:
        return None
    with context.sessions() as session:
        known = {row.version: row for row in session.scalars(
            select(ExternalVersion).where(ExternalVersion.model == spec.name,
                                          ExternalVersion.version.in_(newer)))}
    open_ = [v for v in newer if v not in known or _retry(known[v], now)]
    if not open_:
        return None
    version = open_[-1]
    for older in open_[:-1]:
        _final(context, spec.name, older, "superseded", champion=champion,
               reason=f"v{version} was registered after it: the newest version is judged",
               now=now)
    return _judge(agent, context, spec, champion, version, known.get(version), now)


def _retry(row: ExternalVersion, now: datetime) -> bool:
    if row.status == "collecting":
        return True
    return row.status == "judging" and row.judged_at is not None and \
        now - row.judged_at > STALE_JUDGING


def _judge(agent, context, spec, champion: str, version: str, row: ExternalVersion | None,
           now: datetime) -> str:
    """Judge `version` against `champion`; act on the verdict; return the verdict."""
    from ml.serving.external import as_logged
    from ml.training import gate

    tools = context.tools
    config = tools.heal.gate
    registered = tools.registry.version(version).created_at
    incident = _waiting_incident(context, spec.name, registered)
    since = _judge_since(context, spec, incident, now)
    labelled = _labelled_count(context, spec.name, since)
    if row is not None and row.status == "collecting" and labelled == row.rows:
        return _expire(context, spec, row, now, config) or "collecting"  # nothing new
    first = row is None
    if labelled < config.min_rows:  # the gate could not tell: no model loaded for nothing
        return _collecting(context, spec, champion, version, incident, labelled, first,
                           now, row)
    _claim(context, spec.name, version, champion, now)
    production, reference = _rows(tools, spec, since)
    verdict = gate.judge((champion, as_logged(tools.registry, champion, spec)),
                         (version, as_logged(tools.registry, version, spec)),
                         production=production, reference=reference, config=config, spec=spec)
    table = gate.render(verdict)
    rows = len(production)
    details = {"model": spec.name, "version": version, "champion": champion,
               "verdict": verdict.verdict, "reason": verdict.reason, "rows": rows,
               "judged_since": since.isoformat(),
               "interval": verdict.interval.model_dump() if verdict.interval else None}
    with context.sessions.begin() as session:
        audit.record(session, event="external_version_judged", actor=ACTOR,
                     incident_id=incident, clock=context.clock, **details)
    head = f"{spec.name}: MLflow version {version} of {tools.registry.name}"
    if verdict.verdict == "undecided":
        _save(context, spec.name, version, "collecting", champion=champion,
              reason=verdict.reason, rows=labelled, incident_id=incident, now=now)
        if first:
            _tell(context, incident, f"v{version} registered by {spec.name}'s own pipeline; "
                                     f"the gate is {verdict.reason}")
            tools.notifier.send(f"{head} registered: judging it as labels arrive",
                                f"{verdict.reason}\n\n{table}", incident_id=incident,
                                kind="outcome")
        return _expire(context, spec, _row(context, spec.name, version), now, config) or \
            "collecting"
    if verdict.verdict == "refused":
        _final(context, spec.name, version, "refused", champion=champion,
               reason=verdict.reason, rows=rows, incident_id=incident, now=now)
        line = (f"v{version}, registered by {spec.name}'s own pipeline, was refused by the "
                f"gate against champion v{champion} on {rows} labelled live rows: "
                f"{verdict.reason.removeprefix('refused: ')}; v{champion} still serves")
        _tell(context, incident, line)
        tools.notifier.send(f"{head} refused by the promotion gate", f"{line}\n\n{table}",
                            incident_id=incident, kind="escalation")
        return "refused"
    verdict_line = verdict.reason.removeprefix("promoted: ")
    ruling, why = _policy(context, champion, version, tied=incident is not None, now=now)
    if ruling == "held":
        line = (f"v{version} passed the gate against v{champion} on {rows} labelled live rows "
                f"({verdict_line}), but {'; '.join(why)}: a person promotes it (`medic models "
                f"promote {version} --expected {champion} --model {spec.name}`)")
        _final(context, spec.name, version, "held", champion=champion, reason=line, rows=rows,
               incident_id=incident, now=now)
        _tell(context, incident, line)
        tools.notifier.send(f"{head} passed the gate: a person promotes it", f"{line}\n\n{table}",
                            incident_id=incident, kind="escalation")
        return "held"
    if ruling == "approval":
        return _ask(agent, context, spec, champion, version, verdict, incident, why, now)
    return _promote(agent, context, spec, champion, version, verdict.reason, rows, incident,
                    table, now)


def _collecting(context, spec, champion: str, version: str, incident: int | None,
                labelled: int, first: bool, now: datetime, row: ExternalVersion | None) -> str:
    """Record a version too few labelled rows can judge yet; tell people the first time."""
    config = context.tools.heal.gate
    reason = (f"undecided: collecting rows — {labelled} labelled production rows to judge on "
              f"since {_since_text(context, spec, incident, now)}, {config.min_rows} needed; "
              "judged when more labels arrive")
    _save(context, spec.name, version, "collecting", champion=champion, reason=reason,
          rows=labelled, incident_id=incident, now=now)
    if first:
        with context.sessions.begin() as session:
            audit.record(session, event="external_version_judged", actor=ACTOR,
                         incident_id=incident, clock=context.clock, model=spec.name,
                         version=version, champion=champion, verdict="undecided",
                         reason=reason, rows=labelled)
        _tell(context, incident, f"v{version} registered by {spec.name}'s own pipeline; the "
                                 f"gate is {reason}")
        context.tools.notifier.send(
            f"{spec.name}: MLflow version {version} of {context.tools.registry.name} "
            "registered: judging it as labels arrive", reason, incident_id=incident,
            kind="outcome")
    return _expire(context, spec, row, now, config) or "collecting"


def _since_text(context, spec, incident: int | None, now: datetime) -> str:
    return f"{_judge_since(context, spec, incident, now):%Y-%m-%d %H:%M} UTC"


def _policy(context, champion: str, version: str, *, tied: bool,
            now: datetime) -> tuple[str, list[str]]:
    """Return what the model's policy allows a promotion the gate passed, and why.

    `held` (a person promotes it, by hand): recommend-only mode, or the budgets, the
    ineffective count or a cooldown forbid a promotion now. `approval`: the two-person
    rule holds for `promote`, or no approved retrain request asked for this version (a
    promotion is risky: outside a retrain a person approved, a person approves it).
    `run`: the version answers a retrain an approver allowed, as a retrain's gate-passed
    version does.
    """
    config = context.config
    if config.recommend_only:
        return "held", ["recommend-only mode executes nothing"]
    plan = [policy.planned("promote", {"version": version, "expected_champion": champion})]
    problems = policy.budget_problems(plan, config, usage(
        context.sessions, context.model_name, now, config.budget.window_hours), now)
    if problems:
        return "held", problems
    if config.approvers_needed(plan, now) > 1:
        return "approval", ["promote needs two approvers (two_person in configs/agent.yaml)"]
    if not tied:
        return "approval", ["no approved retrain request asked for it, and a promotion is "
                            "risky: a person approves it"]
    return "run", []


def _ask(agent, context, spec, champion: str, version: str, verdict, incident: int | None,
         why: list[str], now: datetime) -> str:
    """Open an approval for the promotion (on the tied incident, else a new one)."""
    from agent_graph.runtime.store import request_approval
    from ml.training import gate

    tools, rows = context.tools, verdict.score("challenger", "production").rows
    incident = incident or _open_incident(context, spec, version, champion, now)
    agent.remember(incident, watch=None)  # the thread has values: the worker never runs it
    plan = [policy.planned("promote", {"version": version, "expected_champion": champion})]
    _planned(context, incident, plan[0].args)
    required = context.config.approvers_needed(plan, now)
    table = gate.render(verdict)
    summary = (f"v{version}, registered by {spec.name}'s own pipeline, passed the promotion "
               f"gate against champion v{champion} on {rows} labelled live rows "
               f"({verdict.reason.removeprefix('promoted: ')}); {'; '.join(why)}")
    asked = request_approval(
        context.sessions, incident_id=incident,
        digest=policy.digest(incident, context.model_name, champion, plan),
        actions=[step.model_dump() for step in plan], requested_at=now,
        expires_at=now + timedelta(minutes=context.config.approval_ttl_minutes),
        required=required,
        context={"severity": "medium", "score": None, "diagnosis": [summary],
                 "champion": champion, "reasons": [summary, table]},
        on_created=lambda asked: tools.notifier.send(
            f"Medic incident {incident}: approval {asked.id} needed — promote {spec.name} "
            f"v{version}", f"{summary}\n\n{table}", incident_id=incident, kind="approval",
            severity="medium", diagnosis=[summary],
            actions=[f"promote v{version} (champion now v{champion})"],
            expires_at=asked.expires_at, approval_id=asked.id,
            digest=asked.digest))
    with context.sessions.begin() as session:
        found = session.get(Incident, incident)
        found.outcome, found.resolved_at = f"awaiting approval: {summary}", None
    _save(context, spec.name, version, "approval", champion=champion, reason=verdict.reason,
          rows=rows, incident_id=incident, approval_id=asked.id, now=now)
    return "approval"


def _decided(agent, context, spec, row: ExternalVersion, now: datetime) -> str | None:
    """Act on the decision about a promotion waiting for approval; None while it waits."""
    from agent_graph.runtime.store import approval as read_approval
    from core.incidents import close

    asked = read_approval(context.sessions, row.approval_id)
    if asked.status == "pending":
        return None
    if asked.status == "approved" and asked.decided_role in ("approver", "admin"):
        approvers = ", ".join(asked.approved_by or [asked.decided_by])
        return _promote(agent, context, spec, row.champion, row.version, row.reason, row.rows,
                        row.incident_id, row.reason, now, approved=f"approved by {approvers}")
    line = (f"v{row.version} was not promoted: its approval {asked.id} is {asked.status}"
            + (f" ({asked.decided_by}: {asked.comment})" if asked.decided_by else "")
            + f"; v{row.champion} still serves")
    _final(context, spec.name, row.version, "rejected", champion=row.champion, reason=line,
           incident_id=row.incident_id, now=now)
    with context.sessions.begin() as session:
        incident = session.get(Incident, row.incident_id)
        if incident.state == "awaiting_approval":
            close(session, incident, asked.status if asked.status in ("rejected", "expired")
                  else "rejected", line, actor=ACTOR, now=now)
    context.tools.notifier.send(f"{spec.name}: MLflow version {row.version} not promoted",
                                line, incident_id=row.incident_id, kind="outcome")
    return "rejected"


def _promote(agent, context, spec, champion: str, version: str, passed: str, rows: int,
             incident: int | None, table: str, now: datetime, *,
             approved: str | None = None) -> str:
    """Move the champion (compare-and-set), then leave an incident verifying the move.

    `passed` is the gate's reason, `table` its numbers; `approved` says who approved it.
    """
    from core.errors import AliasConflict

    tools = context.tools
    registry = tools.registry
    why = (f"v{version} registered in MLflow by {spec.name}'s own pipeline; the promotion gate "
           f"judged it against v{champion}: {passed}")
    incident = incident or _open_incident(context, spec, version, champion, now)
    args = {"version": version, "expected_champion": champion}
    _planned(context, incident, args)
    key = policy.action_key(incident, f"external:{version}", "promote", args)
    run = claim_action(context.sessions, key=key, incident_id=incident,
                       model=context.model_name, tool="promote", args=args) or \
        _run_of(context, key)  # a look that died after claiming it
    registry.remember_artifact(version)  # served from its files, as `medic models add` does
    try:
        registry.promote(version, expected=champion, actor=ACTOR, reason=why)
    except AliasConflict as error:  # a person moved it meanwhile: theirs, judged no further
        finish_action(context.sessions, run.id, status="conflict",
                      result={"message": str(error)}, now=now)
        _final(context, spec.name, version, "superseded", champion=champion,
               reason=f"passed the gate, but {error}", rows=rows, incident_id=incident, now=now)
        _tell(context, incident, f"v{version} passed the gate but was not promoted: {error}")
        _close_opened(context, incident, f"v{version} passed the gate but was not promoted: "
                                         f"{error}", now)
        return "superseded"
    message = f"version {version} is champion (was {champion}): passed the promotion gate"
    finish_action(context.sessions, run.id, status="success", now=now, result={
        "status": "success", "message": message,
        "data": {"champion": version, "replaced": champion, "gate_table": table}})
    _final(context, spec.name, version, "promoted", champion=champion, reason=passed,
           rows=rows, incident_id=incident, now=now)
    allowed = f"; {approved}" if approved else ""
    line = (f"verifying: v{version}, registered by {spec.name}'s own pipeline, replaced "
            f"v{champion} — the promotion gate passed it on {rows} labelled live rows "
            f"({passed.removeprefix('promoted: ')}){allowed}; waiting for labelled predictions "
            "to measure the change")
    _verifying(agent, context, incident, run.id, champion, version, line, now)
    tools.notifier.send(f"{spec.name}: MLflow version {version} promoted by the gate",
                        f"{line}\n\n{table}", incident_id=incident, kind="outcome")
    return "promoted"


def _verifying(agent, context, incident_id: int, run_id: int | None, champion: str,
               version: str, line: str, now: datetime) -> None:
    """Put the incident in `verifying`, its watch the champion move (the sweep measures it)."""
    agent.remember(incident_id, watch={"run_id": run_id, "tool": "promote", "before": champion,
                                       "after": version, "since": now.isoformat()})
    with context.sessions.begin() as session:
        incident = session.get(Incident, incident_id)
        incident.state, incident.outcome, incident.resolved_at = "verifying", line, None
        audit.record(session, event="incident_verifying", actor=ACTOR, incident_id=incident_id,
                     clock=context.clock, champion=version, replaced=champion, outcome=line)


def _open_incident(context, spec, version: str, champion: str, now: datetime) -> int:
    """Open the incident that carries an untied new version's verification."""
    title = (f"{spec.name}: version {version} registered in MLflow by its own pipeline, "
             f"judged against v{champion}")
    with context.sessions.begin() as session:
        incident = Incident(model=spec.name, fingerprint=f"external-version:{spec.name}",
                            title=title[:500], alert_type="new_version", state="open",
                            alert={"type": "new_version", "labels": {"model": spec.name},
                                   "annotations": {"summary": title}},
                            first_seen=now, last_seen=now, handled=True)
        session.add(incident)
        session.flush()
        audit.record(session, event="incident_opened", actor=ACTOR, incident_id=incident.id,
                     clock=context.clock, model=spec.name, version=version, title=title)
        return incident.id


def _planned(context, incident_id: int, args: dict) -> None:
    """Add the promotion to the incident's plan (after the retrain it answers, if any)."""
    step = policy.planned("promote", args).model_dump()
    with context.sessions.begin() as session:
        incident = session.get(Incident, incident_id)
        if step not in (incident.plan or []):
            incident.plan = [*(incident.plan or []), step]


def _run_of(context, key: str) -> ActionRun:
    with context.sessions() as session:
        return session.scalar(select(ActionRun).where(ActionRun.key == key))


def _close_opened(context, incident_id: int, line: str, now: datetime) -> None:
    """Close an incident opened for a version (or approved for it) that was not promoted."""
    from core.incidents import close

    with context.sessions.begin() as session:
        incident = session.get(Incident, incident_id)
        if incident.state == "remediating" or (incident.state == "open"
                                               and incident.alert_type == "new_version"):
            close(session, incident, "superseded", line, actor=ACTOR, now=now)


def _waiting_incident(context, model: str, registered: datetime) -> int | None:
    """Return the newest incident waiting for a version registered at `registered`.

    Closed escalated after its retrain request was sent (a successful `retrain` whose
    result says `requested`) before the version was registered. A version refused (or
    still collecting, or superseded) leaves it waiting for the next one; one promoted,
    held or put to a person's approval answered it.
    """
    with context.sessions() as session:
        answered = set(session.scalars(select(ExternalVersion.incident_id).where(
            ExternalVersion.model == model, ExternalVersion.incident_id.is_not(None),
            ExternalVersion.status.in_(ANSWERED))))
        found = session.execute(
            select(ActionRun.incident_id, ActionRun.result, ActionRun.started_at)
            .join(Incident, Incident.id == ActionRun.incident_id)
            .where(Incident.model == model, Incident.state == "escalated",
                   ActionRun.tool == "retrain", ActionRun.status == "success")
            .order_by(ActionRun.id.desc())).all()
    for incident_id, result, started in found:
        if (result.get("data") or {}).get("status") == "requested" \
                and incident_id not in answered and started <= registered:
            return incident_id
    return None


def _judge_since(context, spec, incident: int | None, now: datetime) -> datetime:
    """Return where the judging rows start: after the last export, else the retrain window."""
    with context.sessions() as session:
        runs = session.execute(
            select(func.coalesce(ActionRun.finished_at, ActionRun.started_at), ActionRun.result)
            .join(Incident, Incident.id == ActionRun.incident_id)
            .where(Incident.model == spec.name, ActionRun.tool == "retrain",
                   ActionRun.status == "success").order_by(ActionRun.id.desc())).all()
    exported = next((at for at, result in runs  # the export ended before the run did
                     if (result.get("data") or {}).get("status") == "requested"), None)
    return exported or now - timedelta(minutes=context.tools.heal.window_minutes)


def _labelled_count(context, model: str, since: datetime) -> int:
    with context.sessions() as session:
        return session.scalar(select(func.count()).select_from(Prediction).join(
            Feedback, Feedback.request_id == Prediction.request_id).where(
            Prediction.model == model, Prediction.created_at >= since)) or 0


def _rows(tools, spec, since: datetime):
    """Return the production judging rows and the reference hold-out."""
    from ml.training import heal, production
    from ml.training.config import TrainingConfig

    rows = production.labelled(tools.sessions, since=since, spec=spec)
    return rows, heal.holdout(tools.data_dir, TrainingConfig.splitting(spec), spec)


def _expire(context, spec, row: ExternalVersion | None, now: datetime, config) -> str | None:
    """Hand a version still undecided after `collect_hours` to a person; say so."""
    if row is None or now < row.seen_at + timedelta(hours=config.collect_hours):
        return None
    line = (f"v{row.version} stayed undecided for {config.collect_hours:g} h against "
            f"v{row.champion} ({row.reason}): a person decides (`medic models promote "
            f"{row.version} --expected {row.champion} --model {spec.name}`)")
    _final(context, spec.name, row.version, "undecided", champion=row.champion, reason=line,
           rows=row.rows, incident_id=row.incident_id, now=now)
    _tell(context, row.incident_id, line)
    context.tools.notifier.send(f"{spec.name}: MLflow version {row.version} undecided",
                                line, incident_id=row.incident_id, kind="escalation")
    return "undecided"


def _tell(context, incident_id: int | None, line: str) -> None:
    """Add what became of the requested retrain to a (closed) incident's outcome."""
    if incident_id is None:
        return
    with context.sessions.begin() as session:
        incident = session.get(Incident, incident_id)
        incident.outcome = f"{incident.outcome}\n{line}" if incident.outcome else line
        audit.record(session, event="external_version_outcome", actor=ACTOR,
                     incident_id=incident_id, clock=context.clock, outcome=line)


def _row(context, model: str, version: str) -> ExternalVersion | None:
    with context.sessions() as session:
        return session.get(ExternalVersion, (model, version))


def _claim(context, model: str, version: str, champion: str, now: datetime) -> None:
    """Mark the version as being judged (a process that dies leaves it to a later look)."""
    _save(context, model, version, "judging", champion=champion, now=now)


def _save(context, model: str, version: str, status: str, *, champion: str | None,
          now: datetime, reason: str = "", rows: int = 0, incident_id: int | None = None,
          approval_id: int | None = None) -> None:
    with context.sessions.begin() as session:
        row = session.get(ExternalVersion, (model, version))
        if row is None:
            row = ExternalVersion(model=model, version=version, seen_at=now)
            session.add(row)
        row.status, row.champion, row.judged_at = status, champion, now
        if reason:
            row.reason = reason[:4000]
        if rows:
            row.rows = rows
        if incident_id is not None:
            row.incident_id = incident_id
        if approval_id is not None:
            row.approval_id = approval_id


def _final(context, model: str, version: str, status: str, **fields) -> None:
    assert status in FINAL
    _save(context, model, version, status, **fields)
    with context.sessions.begin() as session:
        audit.record(session, event=f"external_version_{status}", actor=ACTOR,
                     incident_id=fields.get("incident_id"), clock=context.clock, model=model,
                     version=version, champion=fields.get("champion"),
                     reason=fields.get("reason", ""))
