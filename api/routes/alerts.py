"""Alert webhooks: Medic's signed JSON, and Prometheus Alertmanager (v4)."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, status

from api.deps import ServicesDep
from api.schemas import Accepted
from api.security import check_bearer, client_address, verify_signature
from core import incidents
from core.alerts import from_alertmanager, from_medic, read_json

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])


def _accept(services, alerts) -> Accepted:
    stored = []
    for alert in alerts:
        ingested = incidents.ingest(services.sessions, alert, actor=alert.source)
        if ingested.needs_handling:
            services.worker.handle(ingested.incident_id)
        stored.append({"incident_id": ingested.incident_id, "new": ingested.created,
                       "fingerprint": alert.fingerprint})
    return Accepted(incidents=stored)


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted)
async def medic_alert(
    request: Request, services: ServicesDep,
    x_medic_timestamp: Annotated[str | None, Header()] = None,
    x_medic_signature: Annotated[str | None, Header()] = None,
) -> Accepted:
    """Take Medic's alert JSON, signed with `sha256=HMAC(secret, "timestamp.body")`."""
    body = await request.body()
    with services.webhook_failures.guard(client_address(request)):
        verify_signature(secret=services.settings.webhook_secret.get_secret_value(),
                         timestamp=x_medic_timestamp, signature=x_medic_signature, body=body,
                         sessions=services.sessions)
    return _accept(services, from_medic(read_json(body)))


@router.post("/alertmanager", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted)
async def alertmanager(request: Request, services: ServicesDep,
                       authorization: Annotated[str | None, Header()] = None) -> Accepted:
    """Take an Alertmanager webhook (version 4), with `Authorization: Bearer <token>`."""
    with services.webhook_failures.guard(client_address(request)):
        check_bearer(authorization, services.settings.alertmanager_token.get_secret_value())
    return _accept(services, from_alertmanager(read_json(await request.body())))
