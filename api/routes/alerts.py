"""Alert webhooks: Medic's signed JSON, and Prometheus Alertmanager (v4)."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, status

from api.deps import ServicesDep
from api.security import check_bearer, client_address, verify_signature
from services import alerts
from services.views import Accepted

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted)
async def medic_alert(
    request: Request, services: ServicesDep,
    x_medic_timestamp: Annotated[str | None, Header()] = None,
    x_medic_signature: Annotated[str | None, Header()] = None,
) -> Accepted:
    """Take Medic's alert JSON, signed with `sha256=HMAC(secret, "timestamp.body")`."""
    body = await request.body()
    with services.webhook_failures.guard(client_address(request)):
        spent = verify_signature(secret=services.settings.webhook_secret.get_secret_value(),
                                 timestamp=x_medic_timestamp, signature=x_medic_signature,
                                 body=body)
    return await alerts.receive(services.medic, body, format="medic", signature=spent)


@router.post("/alertmanager", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted)
async def alertmanager(request: Request, services: ServicesDep,
                       authorization: Annotated[str | None, Header()] = None) -> Accepted:
    """Take an Alertmanager webhook (version 4), with `Authorization: Bearer <token>`."""
    with services.webhook_failures.guard(client_address(request)):
        check_bearer(authorization, services.settings.alertmanager_token.get_secret_value())
    return await alerts.receive(services.medic, await request.body(), format="alertmanager")
