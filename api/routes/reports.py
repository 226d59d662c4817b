"""Reports as PDF documents."""

from fastapi.responses import Response

from api.deps import Id, MedicDep, Reader
from api.routing import Router
from services import reports

router = Router(prefix="/v1/reports", tags=["reports"])


@router.get("/incidents/{incident_id}.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}},
                             "description": "The incident report."},
                       429: {"description": "The renderers are busy; see Retry-After."}})
def incident_report(incident_id: Id, medic: MedicDep, _caller: Reader) -> Response:
    """One incident's report: alert, diagnosis and charts, decision, approval, actions, audit.

    Renderers are capped per process (MEDIC_REPORT_RENDERERS, MEDIC_REPORT_QUEUE): beyond
    them 429 with Retry-After. A closed incident's report is kept and served again.
    """
    return Response(reports.incident_pdf(medic, incident_id), media_type="application/pdf",
                    headers={"Content-Disposition":
                             f'inline; filename="incident-{incident_id}.pdf"'})
