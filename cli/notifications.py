"""`medic notifications`: what was sent to whom, what waits for a retry, what was given up."""

from typing import Annotated

import typer

from cli.common import JsonFlag, fail, listing, medic

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
    listing(rows, title=f"notifications — {configured}", as_json=as_json, columns={
        "id": lambda r: r.id, "incident": lambda r: r.incident_id or "",
        "channel": lambda r: r.channel, "status": lambda r: r.status,
        "attempts": lambda r: r.attempts,
        "next attempt": lambda r: r.next_attempt_at and f"{r.next_attempt_at:%Y-%m-%d %H:%M:%S}",
        "last error": lambda r: r.last_error, "subject": lambda r: r.subject})
