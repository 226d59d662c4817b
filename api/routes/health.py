"""Liveness, readiness and metrics."""

from fastapi import Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import Reader, RootDep
from api.routing import Router

router = Router(tags=["health"])


@router.get("/health")
def health() -> dict:
    """Say the process is up."""
    return {"status": "ok"}


@router.get("/ready")
def ready(root: RootDep) -> JSONResponse:
    """Say whether a model is loaded and the database answers."""
    loaded = root.serving.current
    try:
        with root.sessions() as session:
            session.execute(text("SELECT 1"))
        database = True
    except SQLAlchemyError:
        database = False
    ok = loaded is not None and database
    return JSONResponse({"ready": ok, "model_version": loaded.version if loaded else None,
                         "database": database}, status_code=200 if ok else 503)


@router.get("/metrics")
def metrics(root: RootDep, _caller: Reader) -> Response:
    """Prometheus metrics (a viewer key, e.g. `authorization.credentials` in Prometheus)."""
    return Response(generate_latest(root.metrics.registry), media_type=CONTENT_TYPE_LATEST)
