"""Reports as PDF documents."""

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from api.deps import Id, MedicDep, Reader
from api.routing import Router
from core.errors import DataError
from services import reports

router = Router(prefix="/v1/reports", tags=["reports"])
PDF = {200: {"content": {"application/pdf": {}}},
       429: {"description": "The renderers are busy; see Retry-After."}}


@router.get("/incidents/{incident_id}.pdf", response_class=Response,
            responses={**PDF, 200: {**PDF[200], "description": "The incident report."}})
def incident_report(incident_id: Id, medic: MedicDep, _caller: Reader) -> Response:
    """One incident's report: alert, diagnosis and charts, decision, approval, actions, audit.

    Renderers are capped per process (MEDIC_REPORT_RENDERERS, MEDIC_REPORT_QUEUE): beyond
    them 429 with Retry-After. A closed incident's report is kept and served again.
    """
    return _pdf(reports.incident_pdf(medic, incident_id), f"incident-{incident_id}.pdf")


@router.get("/health.pdf", response_class=Response,
            responses={**PDF, 200: {**PDF[200], "description": "The model-health report."}})
def health_report(medic: MedicDep, _caller: Reader,
                  since: Annotated[str, Query(max_length=16, description="Period: 7d, 24h, "
                                              "90m, 2w.")] = "7d") -> Response:
    """The model-health report for a period up to now: traffic, F1, incidents, champion moves.

    Rendered by the same capped renderers as the incident report (429 beyond them).
    """
    from services.reports.health import parse_since

    try:
        start = parse_since(since, now=medic.clock())
    except DataError as error:
        raise DataError(f"since: {error}") from error
    return _pdf(reports.health_pdf(medic, since=start), f"health-{since.strip()}.pdf")


def _pdf(pdf: bytes, name: str) -> Response:
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})
