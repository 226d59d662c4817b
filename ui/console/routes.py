"""The console's own routes: log in with an API key once (posted), log out, download reports."""

import logging
from html import escape

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import AuthError
from core.roles import require
from ui.console.session import COOKIE

log = logging.getLogger(__name__)

router = APIRouter(prefix="/ui", include_in_schema=False)

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Medic · log in</title>
<style>body{{font-family:sans-serif;background:#f3f6f9;display:flex;justify-content:center;
padding-top:12vh}}form{{background:#fff;padding:28px 32px;border-radius:8px;width:340px;
box-shadow:0 1px 4px #0002}}h1{{font-size:20px;margin:0 0 14px}}input{{width:100%;padding:8px;
margin:6px 0 14px;box-sizing:border-box}}button{{padding:8px 18px;background:#2e6da4;color:#fff;
border:0;border-radius:4px}}.error{{color:#c0392b}}</style></head><body>
<form method="post" action="{root}/ui/login" autocomplete="off"><h1>Medic console</h1>
<p>Log in with your API key; your role decides what you can do.</p>{error}
<label for="key">API key</label><input id="key" name="key" type="password" required>
<button type="submit">Log in</button></form></body></html>"""


def _page(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    message = f'<p class="error">{escape(error)}</p>' if error else ""
    root = request.scope.get("root_path", "")
    return HTMLResponse(PAGE.format(root=root, error=message), status_code=status,
                        headers={"Cache-Control": "no-store"})


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    """Show the login form."""
    return _page(request)


@router.post("/login")
def login(request: Request, key: str = Form("", max_length=200)):
    """Check the key once; on success set the session cookie and go to the console."""
    from services.keys import authenticate

    services = request.app.state.services
    services.limiter.check(f"ip:{request.client.host if request.client else 'unknown'}")
    try:
        principal = authenticate(services.medic, key)
    except AuthError:
        log.info("console login refused")
        return _page(request, "That key is unknown or revoked.", status=401)
    if not principal.may("read"):  # a predictor key serves client programs, not people
        log.info("console login refused: role %s cannot read", principal.role)
        return _page(request, "That key's role cannot use the console (it needs viewer, "
                     "operator, approver or admin).", status=403)
    signer = request.app.state.console_sessions
    reply = RedirectResponse(f"{request.scope.get('root_path', '')}/ui/", status_code=303)
    reply.set_cookie(COOKIE, signer.issue(principal), max_age=signer.max_age, path="/",
                     httponly=True, samesite="strict", secure=request.url.scheme == "https")
    log.info("console login: %s (%s)", principal.name, principal.role)
    return reply


@router.get("/logout")
def logout(request: Request) -> RedirectResponse:
    """End the session: clear the cookie and show the login form."""
    reply = RedirectResponse(f"{request.scope.get('root_path', '')}/ui/login", status_code=303)
    reply.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return reply


@router.get("/reports/incidents/{incident_id}.pdf")
def incident_report(incident_id: int, request: Request) -> Response:
    """Send an incident's report to a signed-in reader."""
    from services import reports

    principal = request.app.state.console_sessions.read(request.cookies.get(COOKIE))
    if principal is None:
        raise AuthError("your session ended: log in again")
    require(principal, "read")
    pdf = reports.incident_pdf(request.app.state.services.medic, incident_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition":
                             f'inline; filename="incident-{incident_id}.pdf"'})


class ConsoleEdge:
    """Redirect a browser without a session to the login form; let Gradio's assets cache.

    The API's edge marks every answer `no-store`; Gradio's assets are content-hashed files,
    so the browser may keep them (a page otherwise refetches ~50 scripts on every visit).
    """

    ASSETS = ("/ui/assets/", "/ui/static/")

    def __init__(self, app, *, signer_of) -> None:
        self.app, self._signer_of = app, signer_of

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        if scope["method"] == "GET" and path in ("/ui", "/ui/"):
            from starlette.requests import Request

            if self._signer_of().read(Request(scope).cookies.get(COOKIE)) is None:
                root = scope.get("root_path", "")
                return await RedirectResponse(f"{root}/ui/login", status_code=303)(
                    scope, receive, send)
        if path.startswith(self.ASSETS):
            return await self.app(scope, receive, _cacheable(send))
        return await self.app(scope, receive, send)


def _cacheable(send):
    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [(k, v) for k, v in message.get("headers", [])
                                  if k.lower() != b"cache-control"] + [
                (b"cache-control", b"public, max-age=86400")]
        await send(message)
    return sending
