"""`medic notifications`: what was sent to whom, what waits for a retry, what was given up."""

from typing import Annotated

import typer
from rich.table import Table

from cli.common import JsonFlag, console, dump, fail, medic

notifications_app = typer.Typer(help="Look at the notification outbox.", no_args_is_help=True)


@notifications_app.command("list")
def notifications_list(
    status: Annotated[str | None, typer.Option(
        help="Only deliveries in this state: pending, sent or failed.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 100,
    as_json: JsonFlag = False,
):
    """List deliveries, newest first: channel, status, attempts, next try, last error."""
    from services import notifications

    if status is not None and status not in notifications.STATUSES:
        fail(f"--status must be one of {', '.join(notifications.STATUSES)}, not {status!r}")
    with medic() as opened:
        configured = notifications.channels(opened)
        rows = notifications.listing(opened, status=status, limit=limit)
    if as_json:
        return dump(rows)
    table = Table(title=f"notifications — {configured}")
    for column in ("id", "incident", "channel", "status", "attempts", "next attempt",
                   "last error", "subject"):
        table.add_column(column)
    for r in rows:
        next_at = r.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S") if r.next_attempt_at else ""
        table.add_row(str(r.id), str(r.incident_id or ""), r.channel, r.status,
                      str(r.attempts), next_at, r.last_error, r.subject)
    console.print(table)
