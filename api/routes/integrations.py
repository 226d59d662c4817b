"""Requests from outside tools that act for a person: Slack's button clicks."""

from fastapi import BackgroundTasks, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from api.routing import Router
from api.security import client_address, verify_slack_signature
from core.clock import utcnow
from core.errors import NotFound
from core.ingest import spend
from services import slack_actions

router = Router(prefix="/v1/integrations", tags=["integrations"])

SLACK_SIGNED = {
    "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
        "schema": {"type": "object", "required": ["payload"],
                   "properties": {"payload": {"type": "string",
                                              "description": "Slack's block_actions JSON"}}}}}},
    "parameters": [
        {"name": "X-Slack-Request-Timestamp", "in": "header", "required": True,
         "schema": {"type": "string"}, "description": "Unix seconds, within 5 minutes of now"},
        {"name": "X-Slack-Signature", "in": "header", "required": True,
         "schema": {"type": "string"},
         "description": 'v0=HMAC(signing secret, "v0:timestamp:body")'}]}


@router.post("/slack/interactions", status_code=status.HTTP_200_OK, openapi_extra=SLACK_SIGNED)
async def slack_interactions(request: Request, background: BackgroundTasks) -> Response:
    """Take a click on an approval message's button: decide as the linked key holder.

    Answers 200 at once (Slack waits 3 seconds); the message is updated right after with
    who decided, or why the click was refused.
    """
    services = request.app.state.services
    secret = services.settings.slack_signing_secret.get_secret_value()
    if not secret:
        raise NotFound("Slack interactions are off: set MEDIC_SLACK_SIGNING_SECRET")
    body = await request.body()
    with services.webhook_failures.guard(client_address(request)):
        signature = verify_slack_signature(
            secret=secret, timestamp=request.headers.get("x-slack-request-timestamp"),
            signature=request.headers.get("x-slack-signature"), body=body)
        await run_in_threadpool(_spend_once, services.medic, signature)
    click = slack_actions.parse(body)
    answer = await run_in_threadpool(slack_actions.decide, services.medic, click)
    if services.settings.slack_bot_token.get_secret_value():
        background.add_task(slack_actions.update_message, services.medic, click, answer)
    return Response(status_code=status.HTTP_200_OK)


def _spend_once(medic, signature: str) -> None:
    """Refuse a request Slack sent before (SignatureError): each click decides once."""
    with medic.sessions.begin() as session:
        spend(session, [signature], utcnow())
