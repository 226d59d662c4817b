"""For viewers: what the monitors saw over time, and the Evidently reports kept when one fired."""

from typing import Annotated

from fastapi import Path, Query
from fastapi.responses import FileResponse

from api.deps import MedicDep, Reader
from api.routing import Router
from services.monitors import run as monitors
from services.monitors import series as monitoring
from services.views import ModelMonitors, MonitoringView

router = Router(prefix="/v1/monitors", tags=["monitors"])

ModelName = Annotated[str | None, Query(max_length=200, description="One model's monitors "
                                        "(a spec's name); without it, every model's.")]

ReportName = Annotated[str, Path(max_length=100, pattern=monitors.REPORT_NAME.pattern,
                                 description="As linked from the incident's alert, "
                                             "e.g. `data_drift-20261127T011500.html`.")]


@router.get("", response_model=list[ModelMonitors])
def status(medic: MedicDep, _caller: Reader, model: ModelName = None) -> list[ModelMonitors]:
    """Each model's monitors as last checked, grouped by model; `?model=NAME` for one."""
    return monitoring.status(medic, model=model)


@router.get("/reports/{name}", response_class=FileResponse)
def report(name: ReportName, medic: MedicDep, _caller: Reader) -> FileResponse:
    """Download a report of record (an attachment: it is not rendered in the API's origin)."""
    return FileResponse(monitors.report_path(medic, name), media_type="text/html",
                        filename=name, content_disposition_type="attachment")


@router.get("/history", response_model=MonitoringView)
def history(medic: MedicDep, _caller: Reader,
            hours: Annotated[int, Query(ge=1, le=max(monitoring.PERIODS))] = 24,
            model: ModelName = None) -> MonitoringView:
    """Drift per feature, F1 real and estimated, volume and class share in 24 buckets.

    The monitors are `model`'s (default: the default model's).
    """
    return monitoring.series(medic, hours=hours, model=model)
