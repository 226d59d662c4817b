"""Write PDF reports: `medic report incident ID`, `medic report health --since 7d`.

With a key and `medic up` serving this home, the server renders (its renderer is warm);
otherwise the command starts a renderer child first, which loads WeasyPrint while this
process reads the home.
"""

from pathlib import Path
from typing import Annotated

import typer

from cli.common import KeyOption, console, fail, medic, settings
from core.home import write_private

report_app = typer.Typer(help="Write PDF reports for people.", no_args_is_help=True)
Out = Annotated[Path | None, typer.Option("--out", "-o", help="PDF file to write.")]
RENDER_WAIT = 130  # seconds to wait for a server's PDF: its queue and its 60 s render cap


@report_app.command("incident")
def report_incident(incident_id: Annotated[int, typer.Argument(help="Incident id.")],
                    out: Out = None, key: KeyOption = None):
    """Write one incident's report: alert, diagnosis, decision, approval, actions, audit."""
    pdf = _served(key, f"/v1/reports/incidents/{incident_id}.pdf")
    if pdf is None:
        from services.reports import incident_pdf
        from services.reports.pdf import warm_up

        warm_up()
        with medic() as opened:
            pdf = incident_pdf(opened, incident_id)
    _write(out or Path(f"incident-{incident_id}.pdf"), pdf)


@report_app.command("health")
def report_health(since: Annotated[str, typer.Option(help="Period: 7d, 24h, 90m, 2w.")] = "7d",
                  out: Out = None, key: KeyOption = None):
    """Write the model-health report for a period: traffic, F1, incidents, champion changes."""
    pdf = _served(key, "/v1/reports/health.pdf", params={"since": since})
    if pdf is None:
        from core.errors import DataError
        from services.reports import health_pdf
        from services.reports.health import parse_since
        from services.reports.pdf import warm_up

        try:
            parse_since(since)
        except DataError as error:
            fail(error)
        warm_up()
        with medic() as opened:
            pdf = health_pdf(opened, since=parse_since(since, now=opened.clock()))
    _write(out or Path(f"health-{since.strip()}.pdf"), pdf)


def _served(key: str | None, path: str, **request) -> bytes | None:
    """Return the PDF the running server renders, or None to render here."""
    from cli import remote

    pdf = remote.fetch(settings().home, key, path, timeout=RENDER_WAIT, **request)
    return pdf if pdf is not None and pdf.startswith(b"%PDF") else None


def _write(path: Path, pdf: bytes) -> None:
    try:
        write_private(path, pdf)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror}")
    console.print(f"wrote {path} ({len(pdf) // 1024} kB)")
