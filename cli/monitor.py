"""`medic monitor run`: check every monitor now over the prediction log and show what it saw."""

import json

import typer
from rich import box
from rich.table import Table

from cli.common import JsonFlag, console, medic

monitor_app = typer.Typer(help="Run the monitors over the prediction log.", no_args_is_help=True)

STATE_STYLE = {"ok": "green", "warning": "yellow", "critical": "red",
               "insufficient_data": "dim"}


@monitor_app.command("run")
def monitor_run(as_json: JsonFlag = False):
    """Check every enabled monitor once; a firing one raises an alert as on schedule."""
    from services.monitors import run as monitors

    with medic() as opened:
        results = monitors.run_checks(opened)
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in results], indent=2))
        return
    show(results)


def show(results) -> None:
    """Print monitor results as a table: monitor, window, rows, value, threshold, state."""
    table = Table(title="monitors", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("monitor", "window", "rows", "value", "threshold", "state"):
        table.add_column(column, no_wrap=column in ("monitor", "state"))
    for r in results:
        value = "n/a" if r.value is None else f"{r.value:.3g}"
        sign = "≥" if r.direction == "above" else "<"
        style = STATE_STYLE.get(r.state, "")
        table.add_row(r.name, f"{r.window_minutes}m", f"{r.rows}/{r.min_rows}",
                      value, f"{sign}{r.warning:.3g} / {sign}{r.critical:.3g}",
                      f"[{style}]{r.state}[/{style}]")
    console.print(table)
    console.print("rows: in the window / needed; threshold: warning / critical")
