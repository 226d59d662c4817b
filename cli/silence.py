"""`medic silence add|list|expire`: maintenance windows that hold matching alerts."""

from typing import Annotated

import typer

from cli.common import JsonFlag, KeyOption, console, dump, listing, medic, principal

silence_app = typer.Typer(help="Silence alerts during maintenance (operators).",
                          no_args_is_help=True)


@silence_app.command("add")
def silence_add(
    match: Annotated[list[str], typer.Option("--match", help="KEY=VALUE on the alert's labels "
                                             "(or alertname, type, source); repeat for more.")],
    duration: Annotated[str, typer.Option("--for", help="How long: 90m, 2h, 1d.")],
    comment: Annotated[str, typer.Option(help="Why (required; shown with the silence and "
                                         "sent to people).")] = "",
    key: KeyOption = None, as_json: JsonFlag = False,
):
    """Start a silence now: matching firing alerts are stored and audited, not acted on."""
    from services import silences

    with medic() as opened:
        made = silences.add(opened, matchers=silences.parse_matchers(match),
                            duration=silences.parse_duration(duration), comment=comment,
                            principal=principal(opened, key))
    if as_json:
        return dump(made)
    console.print(f"silence {made.id} until {made.ends_at:%Y-%m-%d %H:%M:%S} UTC")


@silence_app.command("list")
def silence_list(
    ended: Annotated[bool, typer.Option("--all", help="Ended silences too.")] = False,
    as_json: JsonFlag = False,
):
    """List silences, newest first, with how many alerts each held."""
    from services import silences

    with medic() as opened:
        rows = silences.listing(opened, ended=ended)
    listing(rows, title="silences", as_json=as_json, columns={
        "id": lambda s: s.id,
        "matchers": lambda s: " ".join(f"{k}={v}" for k, v in s.matchers.items()),
        "ends": lambda s: f"{s.ends_at:%Y-%m-%d %H:%M}" + ("" if s.active else " (ended)"),
        "held": lambda s: s.held, "by": lambda s: s.created_by, "comment": lambda s: s.comment})


@silence_app.command("expire")
def silence_expire(silence_id: int, key: KeyOption = None, as_json: JsonFlag = False):
    """End a silence now."""
    from services import silences

    with medic() as opened:
        ended = silences.expire(opened, silence_id, principal=principal(opened, key))
    if as_json:
        return dump(ended)
    console.print(f"silence {ended.id} ended at {ended.ends_at:%Y-%m-%d %H:%M:%S} UTC")
