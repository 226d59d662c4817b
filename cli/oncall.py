"""`medic oncall show`: who is on call now, and how Medic reaches them."""

import typer

from cli.common import JsonFlag, console, dump, medic

oncall_app = typer.Typer(help="Who is on call (configs/oncall.yaml).", no_args_is_help=True)


@oncall_app.command("show")
def oncall_show(as_json: JsonFlag = False):
    """Say who is on call now, who is next, how each is reached, and the escalation."""
    from services import oncall

    with medic() as opened:
        found = oncall.now(opened)
    if as_json:
        return dump(found)
    if found.on_call is None:
        console.print("nobody is on call (no rotation in configs/oncall.yaml): unanswered "
                      "approvals are sent again to the usual channels")
    else:
        console.print(f"on call now: {found.on_call}" + (f"; next: {found.next_up}"
                                                          if found.next_up else ""))
    for person in found.people:
        ways = [way for way, ok in (("slack", person.slack), ("email", person.email)) if ok]
        console.print(f"  {person.name}: " + (", ".join(ways) if ways else
                      "not reachable (link them: medic keys link-slack / link-email)")
                      + ("" if person.holds_key else " — holds no key"))
    steps = ", ".join(f"{level['notify']} after {level['after_minutes']:g} min"
                      for level in found.escalation)
    console.print(f"escalation: {steps or 'none'}; everyone "
                  f"{found.everyone_before_expiry_minutes:g} min before expiry")
