"""Requests that act for a person from elsewhere: Slack's button clicks, approval emails' links."""

from typing import Annotated

from fastapi import BackgroundTasks, Path, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api import pages
from api.errors import status_of
from api.routing import Router
from api.security import client_address, verify_slack_signature
from core.clock import utcnow
from core.errors import MedicError, NotFound
from core.ingest import spend_once
from services import email_actions, slack_actions

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
    root = request.app.state.root
    secret = root.settings.slack_signing_secret.get_secret_value()
    if not secret:
        raise NotFound("Slack interactions are off: set MEDIC_SLACK_SIGNING_SECRET")
    body = await request.body()
    with root.webhook_failures.guard(client_address(request)):
        signature = verify_slack_signature(
            secret=secret, timestamp=request.headers.get("x-slack-request-timestamp"),
            signature=request.headers.get("x-slack-signature"), body=body)
        await run_in_threadpool(spend_once, root.medic.sessions, signature, utcnow())
    click = slack_actions.parse(body)
    answer = await run_in_threadpool(slack_actions.decide, root.medic, click)
    if root.settings.slack_bot_token.get_secret_value():
        background.add_task(slack_actions.update_message, root.medic, click, answer)
    return Response(status_code=status.HTTP_200_OK)


Token = Annotated[str, Path(min_length=20, max_length=1000, pattern=r"^[A-Za-z0-9_.-]+$",
                            description="The link's signed token, as the email gave it.")]


@router.get("/email/{token}", response_class=HTMLResponse)
async def email_link(token: Token, request: Request) -> HTMLResponse:
    """Show what an approval email's link would decide; opening it decides nothing."""
    return await _answer(request, email_actions.open_link, token,
                         lambda opened: pages.confirm(opened, token))


@router.post("/email/{token}", response_class=HTMLResponse)
async def email_decide(token: Token, request: Request) -> HTMLResponse:
    """Decide as the link says, once, as the key holder linked to its recipient."""
    return await _answer(request, email_actions.use_link, token, pages.decided)


async def _answer(request: Request, act, token: str, render) -> HTMLResponse:
    """Run `act` on the link; answer a page, or a page saying why nothing was decided."""
    root = request.app.state.root
    try:
        with root.webhook_failures.guard(client_address(request)):
            done = await run_in_threadpool(act, root.medic, token)
    except MedicError as refused:
        return HTMLResponse(pages.refused(str(refused)), status_code=status_of(refused))
    return HTMLResponse(render(done))
