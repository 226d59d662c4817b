"""Write PDF reports: `medic report incident ID`, `medic report health --since 7d`."""

from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, fail, medic
from core.home import write_private

report_app = typer.Typer(help="Write PDF reports for people.", no_args_is_help=True)
Out = Annotated[Path | None, typer.Option("--out", "-o", help="PDF file to write.")]


@report_app.command("incident")
def report_incident(incident_id: Annotated[int, typer.Argument(help="Incident id.")],
                    out: Out = None):
    """Write one incident's report: alert, diagnosis, decision, approval, actions, audit."""
    from services.reports import incident_pdf

    with medic() as opened:
        pdf = incident_pdf(opened, incident_id)
    _write(out or Path(f"incident-{incident_id}.pdf"), pdf)


@report_app.command("health")
def report_health(since: Annotated[str, typer.Option(help="Period: 7d, 24h, 90m, 2w.")] = "7d",
                  out: Out = None):
    """Write the model-health report for a period: traffic, F1, incidents, champion changes."""
    from services.reports import health_pdf
    from services.reports.health import parse_since

    with medic() as opened:
        pdf = health_pdf(opened, since=parse_since(since, now=opened.clock()))
    _write(out or Path(f"health-{since.strip()}.pdf"), pdf)


def _write(path: Path, pdf: bytes) -> None:
    try:
        write_private(path, pdf)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror}")
    console.print(f"wrote {path} ({len(pdf) // 1024} kB)")
