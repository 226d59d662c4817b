"""Create the FastAPI app: routes, security middleware, error handlers, lifespan."""

from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.direct import Direct
from api.middleware import Edge
from api.routes import (
    alerts,
    approvals,
    health,
    incidents,
    integrations,
    models,
    monitors,
    predict,
    reports,
    silences,
    status,
)
from core.settings import Settings
from ml import spec


def create_app(settings: Settings) -> FastAPI:
    """Build the app; its lifespan opens the agent, registry and background workers."""
    from api.root import start

    holder: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.root = start(settings)
        holder["metrics"] = app.state.root.metrics
        try:
            yield
        finally:
            app.state.root.close()

    app = FastAPI(title="Medic", version="0.1.0", lifespan=lifespan,
                  description="Predictions, alerts, approvals and status for a model in "
                              "production. Authenticate with `X-API-Key`.")
    for module in (health, predict, models, alerts, incidents, approvals, status, reports,
                   monitors, silences, integrations):
        app.include_router(module.router)
    errors.register(app)
    _document_raw_bodies(app)
    hottest = [route for module, endpoints in ((predict, (predict.predict,)),
                                               (alerts, (alerts.medic_alert, alerts.alertmanager)))
               for route in module.router.routes if route.endpoint in endpoints]
    named = next(r for r in predict.router.routes if r.endpoint is predict.predict_with)
    paths = [("POST", f"/v1/models/{name}/predict", named, predict.predict_named)
             for name in spec.names(settings.models_dir)]  # every known model's
    app.add_middleware(Direct, routes=hottest, handlers=app.exception_handlers,  # inner
                       paths=paths)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["X-API-Key"])
    app.add_middleware(Edge, max_bytes=settings.max_body_bytes, holder=holder)
    return app


def _document_raw_bodies(app: FastAPI) -> None:
    """Add the models of bodies that routes parse themselves to the OpenAPI components."""
    from fastapi.openapi.utils import get_openapi

    from api.schemas import Patient
    from core.alerts import Alert

    def schema() -> dict:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version,
                                   description=app.description, routes=app.routes)
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for model in (Patient, Alert):
                found = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(found.pop("$defs", {}))
                components[model.__name__] = found
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = schema
