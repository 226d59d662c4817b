"""One ASGI layer at the edge: body size limit, security headers, request metrics.

One layer instead of three: this runs on every request, and each ASGI wrapper costs an
extra coroutine frame per message.

A refused body is read to its end (up to DRAIN_BYTES, for at most DRAIN_SECONDS) before the
413 goes out with `Connection: close`: a server that answers and closes while the client is
still sending makes the client's kernel see a reset, and the 413 is lost with it.
"""

import asyncio
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


DRAIN_BYTES = 16 * 1024 * 1024
DRAIN_SECONDS = 10.0


class _BodyTooLarge(Exception):
    pass


class Edge:
    """Refuse oversized bodies (413), add security headers, count and time requests."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, holder: dict) -> None:
        self.app, self.max_bytes, self.holder = app, max_bytes, holder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            if int(declared) <= DRAIN_BYTES and b"100-continue" not in headers.get(b"expect",
                                                                                   b""):
                await _drain(receive, 0)
            return await self._too_large(send)
        started, status, seen, over = time.perf_counter(), 500, 0, False

        async def limited() -> Message:
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                over = True  # FastAPI turns errors while reading a body into a 400: remember
                raise _BodyTooLarge
            return message

        async def respond(message: Message) -> None:
            nonlocal status
            if over:  # the app's answer to the exception (400 or 500): the 413 replaces it
                return
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, limited, respond)
        except _BodyTooLarge:
            pass
        finally:
            if over:
                status = 413
                await _drain(receive, seen)
                await self._too_large(send)
            metrics = self.holder.get("metrics")
            if metrics is not None:
                metrics.answered(getattr(scope.get("route"), "path", None) or "unmatched",
                                 scope["method"], status, time.perf_counter() - started,
                                 (scope.get("path_params") or {}).get("name"))

    async def _too_large(self, send: Send) -> None:
        body = f'{{"detail":"request body over {self.max_bytes} bytes"}}'.encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})


async def _drain(receive: Receive, seen: int) -> None:
    """Read and drop the rest of a refused body, within the byte and time caps."""
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while seen <= DRAIN_BYTES:
                message = await receive()
                seen += len(message.get("body", b""))
                if message["type"] != "http.request" or not message.get("more_body"):
                    return
    except TimeoutError:
        return
