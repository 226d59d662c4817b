"""The monitors' reports of record, for viewers: the Evidently HTML kept when a monitor fired."""

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from api.deps import MedicDep, Reader
from services import monitors

router = APIRouter(prefix="/v1/monitors", tags=["monitors"])

ReportName = Annotated[str, Path(max_length=100, pattern=monitors.REPORT_NAME.pattern,
                                 description="As linked from the incident's alert, "
                                             "e.g. `data_drift-20261127T011500.html`.")]


@router.get("/reports/{name}", response_class=FileResponse)
def report(name: ReportName, medic: MedicDep, _caller: Reader) -> FileResponse:
    """Download a report of record (an attachment: it is not rendered in the API's origin)."""
    return FileResponse(monitors.report_path(medic, name), media_type="text/html",
                        filename=name, content_disposition_type="attachment")
