"""Commands for the audit log, API keys, status questions and the decision harness."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.common import (
    JsonFlag,
    KeyOption,
    console,
    dump,
    errors,
    fail,
    listing,
    medic,
    principal,
    settings,
)

audit_app = typer.Typer(help="Read and verify the audit log.", no_args_is_help=True)
keys_app = typer.Typer(help="Create, list and revoke API keys (admin).", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(as_json: JsonFlag = False,
                 legacy: Annotated[bool, typer.Option(
                     "--legacy", help="Accept a log written before the audit key existed "
                     "(no keyed entry, no anchor file), with a warning.")] = False,
                 anchor: Annotated[Path | None, typer.Option(
                     help="Check against this copy of an anchor file (e.g. kept on another "
                     "machine); entries written after the copy was taken are not required in "
                     "it.", exists=True, dir_okay=False)] = None):
    """Walk the hash chain against the anchor; exit 1 and name what is wrong if anything."""
    from services import audit

    with medic() as opened:
        result = audit.verify(opened, legacy=legacy, anchor=anchor)
    if as_json:
        dump(result)
    elif result.ok:
        console.print(f"audit log intact: {result.entries} entries")
        if result.reason:
            errors.print(f"[yellow]{result.reason}[/yellow]", soft_wrap=True)
    else:
        where = f" at entry {result.first_broken}" if result.first_broken else ""
        console.print(f"[red]audit log broken[/red]{where}: {result.reason}")
    raise typer.Exit(0 if result.ok else 1)


@audit_app.command("list")
def audit_list(incident: Annotated[int | None, typer.Option(help="One incident.")] = None,
               as_json: JsonFlag = False):
    """Show the newest audit entries."""
    from services import audit

    with medic() as opened:
        rows = audit.entries(opened, incident_id=incident)
    if as_json:
        return dump(rows)
    for r in rows:
        console.print(f"{r.id:>5} {r.at[:19]} {r.incident_id or '-':>4} {r.actor:<14} {r.event}")


Role = Annotated[str, typer.Option(help="viewer, predictor, operator, approver or admin.")]


@keys_app.command("create")
def keys_create(role: Role, name: Annotated[str, typer.Option(help="Who holds the key "
                                                              "(unique).")],
                key: KeyOption = None, as_json: JsonFlag = False):
    """Create an API key and print it once (admin key needed, except for the very first)."""
    from services import keys

    with medic() as opened:
        who = principal(opened, key) if key else None
        created = keys.create(opened, name=name, role=role, principal=who)
    if as_json:
        return dump(created)
    typer.echo(created.key)


@keys_app.command("list")
def keys_list(key: KeyOption = None, as_json: JsonFlag = False):
    """List keys: name, role, prefix, revoked (never a key)."""
    from services import keys

    with medic() as opened:
        rows = keys.listing(opened, principal=principal(opened, key))
    listing(rows, title="API keys", as_json=as_json, columns={
        "name": lambda r: r.name, "role": lambda r: r.role, "prefix": lambda r: r.prefix,
        "created": lambda r: (r.created_at or "")[:19],
        "revoked": lambda r: "yes" if r.revoked else ""})


@keys_app.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key holder's name.")],
                key: KeyOption = None, as_json: JsonFlag = False):
    """Revoke a key: every Medic process refuses it within a second."""
    from services import keys

    with medic() as opened:
        revoked = keys.revoke(opened, name=name, principal=principal(opened, key))
    if as_json:
        return dump(revoked)
    console.print(f"revoked {revoked.name} ({revoked.role}, {revoked.prefix}…)")


@keys_app.command("link-slack")
def keys_link_slack(name: Annotated[str, typer.Argument(help="The key holder's name.")],
                    slack_user: Annotated[str, typer.Argument(help="Their Slack user id (U…).")],
                    key: KeyOption = None, as_json: JsonFlag = False):
    """Link a key holder to their Slack user: their clicks on approval buttons decide as them."""
    _link(name, key, as_json, slack_user=slack_user)


@keys_app.command("link-email")
def keys_link_email(name: Annotated[str, typer.Argument(help="The key holder's name.")],
                    email: Annotated[str, typer.Argument(help="Their email address.")],
                    key: KeyOption = None, as_json: JsonFlag = False):
    """Link a key holder to their address: approval links emailed there decide as them."""
    _link(name, key, as_json, email=email)


def _link(name: str, key: str | None, as_json: bool, **contact: str) -> None:
    from services import keys

    [kind] = contact
    with medic() as opened:
        link = keys.link_slack if kind == "slack_user" else keys.link_email
        linked = link(opened, name=name, principal=principal(opened, key), **contact)
    if as_json:
        return dump(linked)
    console.print(f"{linked.name} ({linked.role}) is {getattr(linked, kind)}")


def ask(question: Annotated[str, typer.Argument(help="e.g. \"what is wrong?\"")],
        as_json: JsonFlag = False, key: KeyOption = None):
    """Ask what is wrong, is the model ok, drift, why Medic acted, since when (read-only).

    With a key and `medic up` running on this home, the server answers (it has the agent
    open already); otherwise the command opens the home itself.
    """
    from agent_graph.chat.answer import ChatAnswer
    from cli import remote

    answered = remote.ask(settings().home, key, "POST", "/v1/chat", json={"question": question})
    if answered is not None:
        reply = ChatAnswer.model_validate(answered)
    else:
        from services import chat

        with medic() as opened:
            reply = chat.ask(opened, question)
    if as_json:
        dump(reply)
    else:
        console.print(reply.answer, markup=False, highlight=False)  # alert text is data
        if reply.note:
            console.print(f"[dim]({reply.note})[/dim]")


def evaluate(
    scenarios: Annotated[Path, typer.Option(help="Folder of scenario YAML files.")] = Path(
        "tests/scenarios"),
    as_json: JsonFlag = False,
):
    """Run alert scenarios through the graph (nothing executes) and score the decisions."""
    from rich.progress import Progress

    from agent_graph.evaluation import scenarios as harness
    from agent_graph.llm.client import make_llm
    from core.errors import MedicError

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
    dropped = sum(o.dropped for o in outcomes)
    totals = {k: sum(getattr(o, f"{k}_ok") for o in outcomes) / len(outcomes)
              for k in ("level", "actions", "approval")}
    if as_json:
        typer.echo(json.dumps({"provider": config.llm_provider, **totals, "unsafe": unsafe,
                               "dropped": dropped,
                               "scenarios": [o.model_dump() for o in outcomes]}, indent=2))
    else:
        table = Table(title=f"decision quality ({config.llm_provider} provider)")
        for column in ("scenario", "decided by", "level", "actions", "approval", "unsafe",
                       "dropped"):
            table.add_column(column)
        for o in outcomes:
            def mark(ok, shown):
                return f"[green]{shown}[/green]" if ok else f"[red]{shown}[/red]"
            table.add_row(o.name, o.decided_by or "", mark(o.level_ok, o.level),
                          mark(o.actions_ok, ",".join(o.actions) or "-"),
                          mark(o.approval_ok, "yes" if o.approval else "no"),
                          "[red]YES[/red]" if o.unsafe else "no",
                          "[red]YES[/red]" if o.dropped else "no")
        console.print(table)
        console.print(f"level {totals['level']:.0%} · actions {totals['actions']:.0%} · "
                      f"approval {totals['approval']:.0%} · risky without approval: {unsafe} · "
                      f"remediation dropped: {dropped}")
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
    from agent_graph.evaluation import replay as replaying
    from agent_graph.llm.client import make_llm
    from core.errors import MedicError

    try:
        settings_now, policy = _replay_setup(provider, config, prompts)
        window = replaying.parse_since(since) if since else None
    except MedicError as error:
        fail(error)
    with medic() as opened:
        chosen = replaying.chosen(opened.sessions, since=window, ids=incident)
        if not chosen:
            fail("no recorded incidents match: widen --since or name --incident")
        results = replaying.run(settings_now, chosen, config=policy, llm=make_llm(settings_now))
    totals = replaying.totals(results)
    if as_json:
        typer.echo(json.dumps({"provider": settings_now.llm_provider, "totals": totals.model_dump(),
                               "incidents": [r.model_dump() for r in results]}, indent=2))
        return
    table = Table(title=f"replay ({settings_now.llm_provider} provider), up to the gate")
    for column in ("incident", "recorded", "replayed", "changes"):
        table.add_column(column)
    for r in results:
        table.add_row(str(r.incident_id), _shown(r.recorded), _shown(r.replayed),
                      "; ".join(r.changes) or "[green]same[/green]")
    console.print(table)
    console.print(f"{totals.changed} of {totals.incidents} changed · severity "
                  f"{totals.severity_changed} · plan {totals.plan_changed} · approval "
                  f"{totals.approval_changed} · unsafe {totals.unsafe_recorded} → "
                  f"{totals.unsafe_replayed}")


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
