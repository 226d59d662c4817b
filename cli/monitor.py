"""`medic monitor run`: check every monitor now over the prediction log and show what it saw."""

import json
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from cli.common import JsonFlag, console, fail, medic
from core.errors import MedicError

monitor_app = typer.Typer(help="Run the monitors over the prediction log.", no_args_is_help=True)

STATE_STYLE = {"ok": "green", "warning": "yellow", "critical": "red",
               "insufficient_data": "dim"}


ModelOption = Annotated[str | None, typer.Option(
    "--model", help="One model's monitors (a spec's name); default: every model's.")]


@monitor_app.command("run")
def monitor_run(model: ModelOption = None, as_json: JsonFlag = False):
    """Check every model's enabled monitors once; a firing one raises an alert as on schedule."""
    from services.monitors import run as monitors

    results = _asked(lambda opened: monitors.run_checks(opened, model=model), as_json)
    if results is not None:
        show(results)


@monitor_app.command("status")
def monitor_status(model: ModelOption = None, as_json: JsonFlag = False):
    """Show each model's monitors as last checked (nothing is checked now)."""
    from services.monitors import series as monitoring

    groups = _asked(lambda opened: monitoring.status(opened, model=model), as_json)
    for group in groups or []:
        table = Table(title=f"{group.model} monitors" + (" (default)" if group.default else ""),
                      box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("monitor", "value", "rows", "state", "firing", "checked"):
            table.add_column(column, no_wrap=True)
        for m in group.monitors:
            style = STATE_STYLE.get(m.state, "")
            value = "n/a" if m.value is None else f"{m.value_name} {m.value:.3g}"
            firing = f"incident {m.incident}" if m.firing and m.incident else \
                ("yes" if m.firing else "")
            table.add_row(m.name, value, str(m.rows), f"[{style}]{m.state}[/{style}]", firing,
                          m.checked_at[:19])
        console.print(table)
        if not group.monitors:
            console.print(f"{group.model}: not checked yet")


def _asked(call, as_json: bool) -> list | None:
    """Call a service on the home; print its answer as JSON (and return None) if asked.

    A MedicError (an unknown model, no champion yet) is a one-line error, exit 1.
    """
    with medic() as opened:
        try:
            found = call(opened)
        except MedicError as error:
            fail(error, code=1)
    if as_json:
        typer.echo(json.dumps([item.model_dump(mode="json") for item in found], indent=2))
        return None
    return found


def show(results) -> None:
    """Print monitor results, a table per model: monitor, window, rows, value, threshold, state."""
    models: dict[str, list] = {}
    for r in results:
        models.setdefault(r.model or "", []).append(r)
    for model, checked in models.items():
        table = Table(title=f"{model} monitors".strip(), box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("monitor", "window", "rows", "value", "threshold", "state"):
            table.add_column(column, no_wrap=column in ("monitor", "state"))
        for r in checked:
            value = "n/a" if r.value is None else f"{r.value:.3g}"
            sign = "≥" if r.direction == "above" else "<"
            style = STATE_STYLE.get(r.state, "")
            table.add_row(r.name, f"{r.window_minutes}m", f"{r.rows}/{r.min_rows}",
                          value, f"{sign}{r.warning:.3g} / {sign}{r.critical:.3g}",
                          f"[{style}]{r.state}[/{style}]")
        console.print(table)
    console.print("rows: in the window / needed; threshold: warning / critical")
    counted = [name for name in serving_monitors() if name not in
               {r.name for r in results}]
    if counted:
        console.print(f"{', '.join(counted)}: counted by the API, checked by the server on "
                      "its schedule (`medic monitor status` shows their last check)")


def serving_monitors() -> list[str]:
    """Return the enabled monitors that read the API's own request counts."""
    from cli.common import settings
    from ml.monitoring import definitions

    return [d.name for d in definitions.load(settings().monitors_config).enabled
            if d.declared.reads_serving]
