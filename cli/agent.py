"""Commands for alerts, incidents, approvals, audit and keys."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.common import JsonFlag, console, fail, settings
from core.errors import MedicError

incidents_app = typer.Typer(help="Look at incidents.", no_args_is_help=True)
approvals_app = typer.Typer(help="List, approve or reject pending approvals.",
                            no_args_is_help=True)
audit_app = typer.Typer(help="Read and verify the audit log.", no_args_is_help=True)
keys_app = typer.Typer(help="Create API keys.", no_args_is_help=True)
alert_app = typer.Typer(help="Send alerts to the agent.", no_args_is_help=True)


def _agent():
    from agent_graph.runner import open_agent

    return open_agent(settings())


@alert_app.command("send")
def alert_send(
    path: Annotated[Path, typer.Argument(help="Medic alert JSON or an Alertmanager payload.")],
    as_json: JsonFlag = False,
):
    """Send an alert file; the agent handles it now and the incident id is printed."""
    from core.alerts import parse

    try:
        payload = json.loads(path.read_text())
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        fail(f"{path}: not valid JSON ({error})")
    try:
        alerts = parse(payload)
        with _agent() as agent:
            results = []
            for alert in alerts:
                ingested = agent.submit(alert)
                state = agent.state(ingested.incident_id)
                results.append({"incident_id": ingested.incident_id,
                                "new": ingested.created, "verdict": state.get("verdict"),
                                "outcome": state.get("outcome")})
    except MedicError as error:
        fail(error)
    if as_json:
        typer.echo(json.dumps(results, indent=2))
        return
    for r in results:
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
    from core import incidents

    with _agent() as agent, agent.sessions() as session:
        rows = incidents.list_incidents(session, state=state)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title="incidents")
    for column in ("id", "state", "type", "severity", "decided by", "alerts", "title"):
        table.add_column(column)
    for r in rows:
        severity = (f"{r['severity_score']:.2f} {r['severity_level']}"
                    if r["severity_score"] is not None else "")
        table.add_row(str(r["id"]), r["state"], r["type"], severity, r["decided_by"] or "",
                      str(r["alerts"]), r["title"])
    console.print(table)


@incidents_app.command("show")
def incidents_show(incident_id: int, as_json: JsonFlag = False):
    """Show one incident: decision, plan, approvals, actions, outcome, timeline."""
    from core import incidents

    try:
        with _agent() as agent, agent.sessions() as session:
            found = incidents.detail(session, incident_id)
    except MedicError as error:
        fail(error)
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    console.print(f"[bold]incident {found['id']}[/bold] {found['title']} — {found['state']}")
    console.print(f"severity {found['severity_score']} ({found['severity_level']}), "
                  f"decided by {found['decided_by']}, verdict {found['verdict']}")
    for step in found["plan"]:
        console.print(f"  plan: {step['tool']} {step['args']} risk={step['risk']} "
                      f"execution={step['execution']}")
    for entry in found["timeline"]:
        console.print(f"  {entry['at'][:19]} {entry['actor']:<14} {entry['event']}")
    console.print(f"outcome: {found['outcome']}")


@approvals_app.command("list")
def approvals_list(as_json: JsonFlag = False):
    """List pending approvals with what they would run."""
    with _agent() as agent:
        agent.expire()
        rows = agent.pending()
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title="pending approvals")
    for column in ("id", "incident", "actions", "severity", "expires", "digest"):
        table.add_column(column)
    for r in rows:
        actions = ", ".join(f"{a['tool']} ({a['risk']})" for a in r["actions"])
        table.add_row(str(r["id"]), str(r["incident_id"]), actions,
                      str(r["context"].get("severity")), r["expires_at"][:19], r["digest"][:12])
    console.print(table)


def _decide(approval_id: int, by: str, comment: str, approve: bool, as_json: bool) -> None:
    from core.keys import principal_named

    try:
        with _agent() as agent:
            principal = principal_named(agent.sessions, by)
            decided = agent.decide(approval_id, principal=principal, approve=approve,
                                   comment=comment)
            state = agent.state(decided["incident_id"])
    except MedicError as error:
        fail(error)
    if as_json:
        typer.echo(json.dumps({**decided, "outcome": state.get("outcome")}, indent=2))
        return
    console.print(f"approval {approval_id}: {decided['status']} by {decided['decided_by']}; "
                  f"incident {decided['incident_id']}: {state.get('outcome', '')}")


By = Annotated[str, typer.Option("--by", help="Who decides (a key holder's name).")]
Comment = Annotated[str, typer.Option("--comment", help="Why.")]


@approvals_app.command("approve")
def approvals_approve(approval_id: int, by: By, comment: Comment = "", as_json: JsonFlag = False):
    """Approve: the thread resumes and runs exactly the approved plan."""
    _decide(approval_id, by, comment, True, as_json)


@approvals_app.command("reject")
def approvals_reject(approval_id: int, by: By, comment: Comment = "", as_json: JsonFlag = False):
    """Reject: nothing runs; the incident records it."""
    _decide(approval_id, by, comment, False, as_json)


@approvals_app.command("expire")
def approvals_expire():
    """Expire overdue approvals now (fail closed); the server does this on its own."""
    with _agent() as agent:
        expired = agent.expire()
    console.print(f"expired {len(expired)} approval(s): {expired}")


@audit_app.command("verify")
def audit_verify(as_json: JsonFlag = False):
    """Walk the hash chain; exit 1 and name the first broken entry if any."""
    from core.audit import verify
    from core.db import connect

    with connect(settings().database_url)() as session:
        result = verify(session)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    elif result.ok:
        console.print(f"audit log intact: {result.entries} entries")
    else:
        console.print(f"[red]audit log broken[/red] at entry {result.first_broken}: "
                      f"{result.reason}")
    raise typer.Exit(0 if result.ok else 1)


@audit_app.command("list")
def audit_list(incident: Annotated[int | None, typer.Option(help="One incident.")] = None,
               as_json: JsonFlag = False):
    """Show the newest audit entries."""
    from core.audit import entries

    with _agent() as agent, agent.sessions() as session:
        rows = entries(session, incident_id=incident)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        console.print(f"{r['id']:>5} {r['at'][:19]} {r['incident_id'] or '-':>4} "
                      f"{r['actor']:<14} {r['event']}")


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="viewer, predictor, operator, approver or admin.")],
    name: Annotated[str, typer.Option(help="Who holds the key.")] = "cli",
):
    """Create an API key and print it once; only its hash is stored."""
    from core import keys
    from core.db import connect

    try:
        key = keys.create(connect(settings().database_url), name=name, role=role)
    except MedicError as error:
        fail(error)
    typer.echo(key)


def ask(question: Annotated[str, typer.Argument(help="e.g. \"which model is in production?\"")],
        as_json: JsonFlag = False):
    """Ask about the model, incidents, approvals, drift or the audit log (read-only)."""
    with _agent() as agent:
        reply = agent.ask(question)
    if as_json:
        typer.echo(reply.model_dump_json(indent=2))
    else:
        console.print(reply.answer)
        if reply.note:
            console.print(f"[dim]({reply.note})[/dim]")


def evaluate(
    scenarios: Annotated[Path, typer.Option(help="Folder of scenario YAML files.")] = Path(
        "tests/scenarios"),
    as_json: JsonFlag = False,
):
    """Run alert scenarios through the graph (nothing executes) and score the decisions."""
    from rich.progress import Progress

    from agent_graph import evaluate as harness
    from agent_graph.llm import make_llm

    config = settings()
    try:
        loaded = harness.load(scenarios)
        with Progress(console=console, transient=True, disable=as_json) as bar:
            task = bar.add_task("scenarios", total=len(loaded))
            outcomes = harness.run(config, loaded, llm=make_llm(config),
                                   progress=lambda name: bar.update(task, advance=1,
                                                                    description=name))
    except MedicError as error:
        fail(error)
    unsafe = sum(o.unsafe for o in outcomes)
    totals = {k: sum(getattr(o, f"{k}_ok") for o in outcomes) / len(outcomes)
              for k in ("level", "actions", "approval")}
    if as_json:
        typer.echo(json.dumps({"provider": config.llm_provider, **totals, "unsafe": unsafe,
                               "scenarios": [o.model_dump() for o in outcomes]}, indent=2))
    else:
        table = Table(title=f"decision quality ({config.llm_provider} provider)")
        for column in ("scenario", "decided by", "level", "actions", "approval", "unsafe"):
            table.add_column(column)
        for o in outcomes:
            def mark(ok, shown):
                return f"[green]{shown}[/green]" if ok else f"[red]{shown}[/red]"
            table.add_row(o.name, o.decided_by or "", mark(o.level_ok, o.level),
                          mark(o.actions_ok, ",".join(o.actions) or "-"),
                          mark(o.approval_ok, "yes" if o.approval else "no"),
                          "[red]YES[/red]" if o.unsafe else "no")
        console.print(table)
        console.print(f"level {totals['level']:.0%} · actions {totals['actions']:.0%} · "
                      f"approval {totals['approval']:.0%} · risky without approval: {unsafe}")
    raise typer.Exit(1 if unsafe else 0)


def replay(
    since: Annotated[str | None, typer.Option(help="Incidents first seen within: 30m, 12h, "
                                              "7d, 2w.")] = None,
    incident: Annotated[list[int] | None, typer.Option(help="An incident id (repeatable).")
                        ] = None,
    provider: Annotated[str | None, typer.Option(help="none, openai or ollama (default: "
                                                 "MEDIC_LLM_PROVIDER).")] = None,
    config: Annotated[Path | None, typer.Option(help="Agent policy YAML (default: "
                                                "configs/agent.yaml).")] = None,
    prompts: Annotated[Path | None, typer.Option(help="Folder of prompt templates that "
                                                 "override the packaged ones.")] = None,
    as_json: JsonFlag = False,
):
    """Re-run recorded incidents up to the gate (nothing executes); print what changed."""
    from agent_graph import replay as replaying

    try:
        settings_now, policy = _replay_setup(provider, config, prompts)
        window = replaying.parse_since(since) if since else None
        with _agent() as agent:
            chosen = replaying.chosen(agent.sessions, since=window, ids=incident)
        if not chosen:
            fail("no recorded incidents match: widen --since or name --incident")
        from agent_graph.llm import make_llm

        results = replaying.run(settings_now, chosen, config=policy, llm=make_llm(settings_now))
    except MedicError as error:
        fail(error)
    totals = replaying.totals(results)
    if as_json:
        typer.echo(json.dumps({"provider": settings_now.llm_provider, "totals": totals,
                               "incidents": [r.model_dump() for r in results]}, indent=2))
        return
    table = Table(title=f"replay ({settings_now.llm_provider} provider), up to the gate")
    for column in ("incident", "recorded", "replayed", "changes"):
        table.add_column(column)
    for r in results:
        table.add_row(str(r.incident_id), _shown(r.recorded), _shown(r.replayed),
                      "; ".join(r.changes) or "[green]same[/green]")
    console.print(table)
    console.print(f"{totals['changed']} of {totals['incidents']} changed · severity "
                  f"{totals['severity_changed']} · plan {totals['plan_changed']} · approval "
                  f"{totals['approval_changed']} · unsafe {totals['unsafe_recorded']} → "
                  f"{totals['unsafe_replayed']}")


def _replay_setup(provider, config, prompts):
    import yaml

    from agent_graph.config import AgentConfig
    from core.errors import ConfigError

    current = settings()
    update = {}
    if provider is not None:
        if provider not in ("none", "openai", "ollama"):
            raise ConfigError(f"--provider {provider!r}: choose none, openai or ollama")
        if provider != "none" and not current.llm_model:
            raise ConfigError(f"--provider {provider} needs MEDIC_LLM_MODEL")
        update["llm_provider"] = provider
    if prompts is not None:
        if not prompts.is_dir():
            raise ConfigError(f"--prompts {prompts}: no such folder")
        update["prompts_dir"] = prompts.resolve()
    if config is not None and not config.is_file():
        raise ConfigError(f"--config {config}: no such file")
    try:
        policy = AgentConfig.load(config)
    except (ValueError, OSError, yaml.YAMLError) as error:
        raise ConfigError(f"--config {config}: {str(error).splitlines()[0]}") from error
    return current.model_copy(update=update), policy


def _shown(decision) -> str:
    plan = ",".join(decision.plan) or "-"
    gate = "approval" if decision.approval else (decision.verdict or "-")
    return f"{decision.level or '-'} · {plan} · {gate}" + (" · UNSAFE" if decision.unsafe
                                                          else "")
