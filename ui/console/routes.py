"""The console's own routes: log in with an API key once (posted), log out, download reports."""

import logging
import posixpath
import re
from html import escape
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from core.errors import AuthError
from core.roles import require
from ui.console.origin import same_origin
from ui.console.session import COOKIE

log = logging.getLogger(__name__)

router = APIRouter(prefix="/ui", include_in_schema=False)

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Medic console</title>
<style>body{{font-family:sans-serif;background:#f3f6f9;display:flex;justify-content:center;
padding-top:12vh}}form{{background:#fff;padding:28px 32px;border-radius:8px;width:340px;
box-shadow:0 1px 4px #0002}}h1{{font-size:20px;margin:0 0 14px}}input{{width:100%;padding:8px;
margin:6px 0 14px;box-sizing:border-box}}button{{padding:8px 18px;background:#2e6da4;color:#fff;
border:0;border-radius:4px}}.error{{color:#c0392b}}</style></head><body>
{form}</body></html>"""
LOGIN = """<form method="post" action="{root}/ui/login" autocomplete="off"><h1>Medic console</h1>
<p>Log in with your API key; your role decides what you can do.</p>{error}{next}
<label for="key">API key</label><input id="key" name="key" type="password" required>
<button type="submit">Log in</button></form>"""
LOGOUT = """<form method="post" action="{root}/ui/logout"><h1>Medic console</h1>
<p>End this browser's console session?</p><button type="submit">Log out</button></form>"""
FOREIGN = ("This form was sent from another site; open the console's own page and "
           "try again.")


# where a login may continue to: the console's own page, with a plain query (`?incident=3`);
# nothing else, so a crafted link cannot send a person to another site after they log in
NEXT = re.compile(r"/ui/(\?[A-Za-z0-9_=&.-]{1,200})?")


def safe_next(wanted: str | None) -> str:
    """Return `wanted` if it is a same-site console path (relative), else the console root."""
    return wanted if wanted and NEXT.fullmatch(wanted) else "/ui/"


def _page(request: Request, error: str = "", status: int = 200,
          wanted: str | None = None) -> HTMLResponse:
    message = f'<p class="error">{escape(error)}</p>' if error else ""
    root = escape(request.scope.get("root_path", ""))
    going = safe_next(wanted)
    hidden = (f'<input type="hidden" name="next" value="{escape(going)}">'
              if going != "/ui/" else "")
    return HTMLResponse(PAGE.format(form=LOGIN.format(root=root, error=message, next=hidden)),
                        status_code=status, headers={"Cache-Control": "no-store"})


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> HTMLResponse:  # noqa: A002
    """Show the login form; after it, go on to `next` (a console page) if given."""
    return _page(request, wanted=next)


@router.post("/login")
def login(request: Request, key: str = Form("", max_length=200),
          next: str = Form("", max_length=300)):  # noqa: A002
    """Check the key once; on success set the session cookie and go to the console."""
    from services.keys import authenticate

    if not same_origin(request.headers):
        log.warning("console login refused: posted from another site")
        return _page(request, FOREIGN, status=403)
    root = request.app.state.root
    root.limiter.check(f"ip:{request.client.host if request.client else 'unknown'}")
    try:
        principal = authenticate(root.medic, key)
    except AuthError:
        log.info("console login refused")
        return _page(request, "That key is unknown or revoked.", status=401, wanted=next)
    if not principal.may("read"):  # a predictor key serves client programs, not people
        log.info("console login refused: role %s cannot read", principal.role)
        return _page(request, "That key's role cannot use the console (it needs viewer, "
                     "operator, approver or admin).", status=403)
    signer = request.app.state.console_sessions
    reply = RedirectResponse(f"{request.scope.get('root_path', '')}{safe_next(next)}",
                             status_code=303)
    reply.set_cookie(COOKIE, signer.issue(principal), max_age=signer.max_age, path="/",
                     httponly=True, samesite="strict", secure=_secure(request))
    log.info("console login: %s (%s)", principal.name, principal.role)
    return reply


@router.get("/logout")
def logout_page(request: Request) -> HTMLResponse:
    """Ask before logging out: a link from another site must not end the session."""
    root = escape(request.scope.get("root_path", ""))
    return HTMLResponse(PAGE.format(form=LOGOUT.format(root=root)),
                        headers={"Cache-Control": "no-store"})


@router.post("/logout")
def logout(request: Request):
    """End the session everywhere (its login row), clear the cookie, show the login form."""
    if not same_origin(request.headers):
        log.warning("console logout refused: posted from another site")
        return PlainTextResponse(FOREIGN, status_code=403)
    request.app.state.console_sessions.end(request.cookies.get(COOKIE))
    reply = RedirectResponse(f"{request.scope.get('root_path', '')}/ui/login", status_code=303)
    reply.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                        secure=_secure(request))
    return reply


def _secure(request: Request) -> bool:
    return request.app.state.root.settings.cookie_secure or request.url.scheme == "https"


@router.get("/reports/incidents/{incident_id}.pdf")
def incident_report(incident_id: int, request: Request) -> Response:
    """Send an incident's report to a signed-in reader."""
    from services import reports

    principal = request.app.state.console_sessions.read(request.cookies.get(COOKIE))
    if principal is None:
        raise AuthError("your session ended: log in again")
    require(principal, "read")
    pdf = reports.incident_pdf(request.app.state.root.medic, incident_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition":
                             f'inline; filename="incident-{incident_id}.pdf"'})


class ConsoleEdge:
    """Redirect a browser without a session to the login form; refuse uploads; cache assets.

    The API's edge marks every answer `no-store`; Gradio's assets are content-hashed files,
    so the browser may keep them (a page otherwise refetches ~50 scripts on every visit).
    """

    ASSETS = ("/ui/assets/", "/ui/static/")
    # the console has no upload control: Gradio's routes that store files are refused
    UPLOADS = ("/ui/gradio_api/upload", "/ui/gradio_api/process_recording")

    def __init__(self, app, *, signer_of) -> None:
        self.app, self._signer_of = app, signer_of

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        if posixpath.normpath("/" + path.lstrip("/")).startswith(self.UPLOADS):
            await _drain(receive)  # so the client reads the 403, not a reset
            return await PlainTextResponse("the console accepts no uploads", status_code=403)(
                scope, receive, send)
        if scope["method"] == "GET" and path in ("/ui", "/ui/"):
            from starlette.requests import Request

            if self._signer_of().read(Request(scope).cookies.get(COOKIE)) is None:
                root = scope.get("root_path", "")
                query = scope.get("query_string", b"").decode("latin-1")
                wanted = safe_next(f"/ui/?{query}") if query else "/ui/"
                after = f"?next={quote(wanted, safe='')}" if wanted != "/ui/" else ""
                return await RedirectResponse(f"{root}/ui/login{after}", status_code=303)(
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


async def _drain(receive, limit: int = 16 * 1024 * 1024) -> None:
    seen = 0
    while seen <= limit:
        message = await receive()
        seen += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return
