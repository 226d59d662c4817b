"""Alert webhooks: Medic's signed JSON, and Prometheus Alertmanager (v4).

Both are served past FastAPI's routing (`api.direct`): a burst of alerts is thousands of
requests, each answered after its payload is stored by the intake process (awaited, so
the event loop that serves predictions never waits on the database).
"""

from fastapi import Request, Response, status

from api.routing import Router
from api.security import check_bearer, client_address, verify_signature
from services import alerts
from services.views import Accepted

router = Router(prefix="/v1/alerts", tags=["alerts"])

ALERT = {"$ref": "#/components/schemas/Alert"}  # added to the components by `api.app`
MEDIC_BODY = {"required": True, "content": {"application/json": {"schema": {"oneOf": [
    ALERT, {"type": "array", "items": ALERT, "minItems": 1}]}}}}
LABELS = {"type": "object", "additionalProperties": {"type": "string"}}
ALERTMANAGER_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["version", "alerts"],
    "description": "Alertmanager's webhook (version 4); fields Medic does not read are allowed",
    "properties": {
        "version": {"type": "string", "enum": ["4"]},
        "commonLabels": LABELS,
        "alerts": {"type": "array", "minItems": 1, "items": {"type": "object", "properties": {
            "status": {"type": "string", "enum": ["firing", "resolved"]},
            "labels": LABELS, "annotations": LABELS,
            "startsAt": {"type": "string", "format": "date-time"},
            "endsAt": {"type": "string", "format": "date-time"},
            "fingerprint": {"type": "string", "maxLength": 128}}}}}}}}}
SIGNED = {"requestBody": MEDIC_BODY, "parameters": [
    {"name": "X-Medic-Timestamp", "in": "header", "required": True,
     "schema": {"type": "string"}, "description": "Unix seconds, within 5 minutes of now"},
    {"name": "X-Medic-Signature", "in": "header", "required": True,
     "schema": {"type": "string"}, "description": 'sha256=HMAC(secret, "timestamp.body")'}]}
BEARER = {"requestBody": ALERTMANAGER_BODY, "parameters": [
    {"name": "Authorization", "in": "header", "required": True,
     "schema": {"type": "string"}, "description": "Bearer <MEDIC_ALERTMANAGER_TOKEN>"}]}


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted,
             openapi_extra=SIGNED)
async def medic_alert(request: Request) -> Response:
    """Take Medic's alert JSON, signed with `sha256=HMAC(secret, "timestamp.body")`."""
    root = request.app.state.root
    body = await request.body()
    with root.webhook_failures.guard(client_address(request)):
        spent = verify_signature(secret=root.settings.webhook_secret.get_secret_value(),
                                 timestamp=request.headers.get("x-medic-timestamp"),
                                 signature=request.headers.get("x-medic-signature"),
                                 body=body)
    return _accepted(await alerts.receive(root.medic, body, format="medic",
                                          signature=spent))


@router.post("/alertmanager", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted,
             openapi_extra=BEARER)
async def alertmanager(request: Request) -> Response:
    """Take an Alertmanager webhook (version 4), with `Authorization: Bearer <token>`."""
    root = request.app.state.root
    with root.webhook_failures.guard(client_address(request)):
        check_bearer(request.headers.get("authorization"),
                     root.settings.alertmanager_token.get_secret_value())
    return _accepted(await alerts.receive(root.medic, await request.body(),
                                          format="alertmanager"))


def _accepted(accepted: Accepted) -> Response:
    return Response(accepted.model_dump_json(), status_code=status.HTTP_202_ACCEPTED,
                    media_type="application/json")
