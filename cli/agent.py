"""Commands for alerts, incidents and approvals: thin shells over the service layer."""

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.common import JsonFlag, KeyOption, console, dump, fail, listing, medic, principal

incidents_app = typer.Typer(help="Look at incidents.", no_args_is_help=True)
approvals_app = typer.Typer(help="List, approve or reject pending approvals.",
                            no_args_is_help=True)
alert_app = typer.Typer(help="Send alerts to the agent.", no_args_is_help=True)


@alert_app.command("send")
def alert_send(
    path: Annotated[Path, typer.Argument(help="Medic alert JSON or an Alertmanager payload.")],
    as_json: JsonFlag = False,
):
    """Send an alert file; the agent handles it now and the incident id is printed."""
    from services import alerts

    try:
        payload = json.loads(path.read_text())
    except (FileNotFoundError, IsADirectoryError):
        fail(f"{path}: no such file")
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        fail(f"{path}: not valid JSON")
    with medic() as opened:
        accepted = alerts.submit(opened, payload)
        agent = opened.ensure_agent()
        results = []
        for stored in accepted.incidents:
            if stored.incident_id is None:
                results.append({"incident_id": None, "new": False, "verdict": None,
                                "outcome": f"held by silence {stored.silenced_by}"})
                continue
            opened.worker.drain(only=stored.incident_id)
            state = agent.state(stored.incident_id)
            results.append({"incident_id": stored.incident_id, "new": stored.new,
                            "verdict": state.get("verdict"), "outcome": state.get("outcome")})
    if as_json:
        typer.echo(json.dumps(results, indent=2))
        return
    for r in results:
        if r["incident_id"] is None:
            console.print(f"alert stored, not acted on: {r['outcome']}")
            continue
        joined = "new incident" if r["new"] else "joined open incident"
        told = r["outcome"] or ("waiting for approval: see `medic approvals list`"
                                if r["verdict"] == "approval" else "in progress")
        console.print(f"incident {r['incident_id']} ({joined}): {told}")


@incidents_app.command("list")
def incidents_list(
    state: Annotated[str | None, typer.Option(help="Only incidents in this state.")] = None,
    as_json: JsonFlag = False,
):
    """List incidents, newest first."""
    from services import incidents

    with medic() as opened:
        rows = incidents.listing(opened, state=state)
    listing(rows, title="incidents", as_json=as_json, columns={
        "id": lambda r: r.id, "model": lambda r: r.model, "state": lambda r: r.state,
        "type": lambda r: r.type,
        "severity": lambda r: (f"{r.severity_score:.2f} {r.severity_level}"
                               if r.severity_score is not None else ""),
        "decided by": lambda r: r.decided_by, "alerts": lambda r: r.alerts,
        "title": lambda r: r.title})


@incidents_app.command("show")
def incidents_show(incident_id: int, as_json: JsonFlag = False):
    """Show one incident: decision, plan, approvals, actions, outcome, timeline."""
    from services import incidents

    with medic() as opened:
        found = incidents.detail(opened, incident_id)
    if as_json:
        return dump(found)
    console.print(f"[bold]incident {found.id}[/bold] {found.title} — {found.state}")
    console.print(f"severity {found.severity_score} ({found.severity_level}), "
                  f"decided by {found.decided_by}, verdict {found.verdict}")
    for step in found.plan:
        console.print(f"  plan: {step.tool} {step.args} risk={step.risk} "
                      f"execution={step.execution}")
    if found.rollout:
        console.print("rollout:")
        for stage in found.rollout:
            console.print(f"  {stage.at[:19]} {stage.stage:<15} {stage.actor:<14} "
                          f"{stage.detail}", markup=False)
    for entry in found.timeline:
        console.print(f"  {entry.at[:19]} {entry.actor:<14} {entry.event}")
    console.print(f"outcome: {found.outcome}")


@incidents_app.command("prune-checkpoints")
def incidents_prune(
    older_than: Annotated[str | None, typer.Option(
        help="Closed longer ago than this: 7d, 12h, 90m (default: the retention, "
             "MEDIC_CHECKPOINT_RETENTION_HOURS).")] = None,
    key: KeyOption = None,
    as_json: JsonFlag = False,
):
    """Delete the agent's checkpoints of long-closed incidents now (admin); records stay."""
    from datetime import timedelta

    from services import incidents
    from services.silences import parse_duration

    with medic() as opened:
        age = (parse_duration(older_than) if older_than
               else timedelta(hours=opened.settings.checkpoint_retention_hours))
        if age <= timedelta(0):
            fail("the retention is 0 (keep forever): pass --older-than")
        done = incidents.prune_checkpoints(opened, principal=principal(opened, key),
                                           older_than=age)
    if as_json:
        return dump(done)
    console.print(f"pruned the checkpoints of {len(done.incidents)} incident(s) closed more "
                  f"than {done.older_than_hours:g} h ago: {done.incidents}")


@approvals_app.command("list")
def approvals_list(as_json: JsonFlag = False):
    """List pending approvals with what they would run."""
    from services import approvals

    with medic() as opened:
        rows = approvals.pending(opened)
    listing(rows, title="pending approvals", as_json=as_json, columns={
        "id": lambda r: r.id, "incident": lambda r: r.incident_id,
        "actions": lambda r: ", ".join(f"{a.tool} ({a.risk})" for a in r.actions),
        "severity": lambda r: str(r.context.get("severity")),
        "expires": lambda r: (r.expires_at or "")[:19], "digest": lambda r: r.digest[:12]})


@approvals_app.command("show")
def approvals_show(approval_id: int, as_json: JsonFlag = False):
    """Show one approval: what it would run, why, and (a shadow's promotion) its evidence."""
    from services import approvals

    with medic() as opened:
        found = approvals.view(opened, approval_id)
    if as_json:
        return dump(found)
    console.print(f"[bold]approval {found.id}[/bold] incident {found.incident_id} — "
                  f"{found.status}" + (f" by {found.decided_by}" if found.decided_by else "")
                  + f"; expires {(found.expires_at or '')[:19]} UTC")
    for step in found.actions:
        console.print(f"  runs: {step.tool} {step.args} risk={step.risk}", markup=False)
    for line in found.context.get("reasons") or []:
        console.print(f"  why: {line}", markup=False)
    for line in found.context.get("diagnosis") or []:
        console.print(f"  evidence: {line}" if found.context.get("kind") == "shadow_promotion"
                      else f"  diagnosis: {line}", markup=False)
    console.print(f"digest {found.digest}")


def _decide(approval_id: int, key: str | None, comment: str, approve: bool,
            as_json: bool) -> None:
    from services import approvals

    with medic() as opened:
        who = principal(opened, key)
        decided = approvals.decide(opened, approval_id, principal=who, approve=approve,
                                   comment=comment, channel="cli")
        agent = opened.ensure_agent()
        opened.worker.drain(only=decided.incident_id)  # act now, in this process
        outcome = agent.state(decided.incident_id).get("outcome")
        decided = approvals.view(opened, approval_id)
    if as_json:
        typer.echo(json.dumps({**decided.model_dump(mode="json"), "outcome": outcome},
                              indent=2))
        return
    console.print(f"approval {approval_id}: {decided.status} by {decided.decided_by}; "
                  f"incident {decided.incident_id}: {outcome or decided.incident_state}")


Comment = Annotated[str, typer.Option("--comment", help="Why.")]


@approvals_app.command("approve")
def approvals_approve(approval_id: int, key: KeyOption = None, comment: Comment = "",
                      as_json: JsonFlag = False):
    """Approve (approver role): the agent runs exactly the approved plan."""
    _decide(approval_id, key, comment, True, as_json)


@approvals_app.command("reject")
def approvals_reject(approval_id: int, key: KeyOption = None, comment: Comment = "",
                     as_json: JsonFlag = False):
    """Reject (approver role): nothing runs; the incident records it."""
    _decide(approval_id, key, comment, False, as_json)


@approvals_app.command("ack")
def approvals_ack(approval_id: int, key: KeyOption = None, as_json: JsonFlag = False):
    """Say "I'm looking" (approver role): the escalation stops; nothing is decided."""
    from services import approvals

    with medic() as opened:
        seen = approvals.acknowledge(opened, approval_id, principal=principal(opened, key),
                                     channel="cli")
    if as_json:
        return dump(seen)
    console.print(f"approval {approval_id}: {seen.acknowledged_by} is looking; "
                  "the escalation stopped")


@approvals_app.command("expire")
def approvals_expire(as_json: JsonFlag = False):
    """Expire overdue approvals now (fail closed); the server does this on its own."""
    from services import approvals

    with medic() as opened:
        expired = approvals.expire(opened)
        opened.worker.drain()
    if as_json:
        typer.echo(json.dumps(expired))
        return
    console.print(f"expired {len(expired)} approval(s): {expired}")
