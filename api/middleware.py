"""One ASGI layer at the edge: body size limit, security headers, request metrics.

One layer instead of three: this runs on every request, and each ASGI wrapper costs an
extra coroutine frame per message.
"""

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class _BodyTooLarge(Exception):
    pass


class Edge:
    """Refuse oversized bodies (413), add security headers, count and time requests."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, holder: dict) -> None:
        self.app, self.max_bytes, self.holder = app, max_bytes, holder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._too_large(send)
        started, status, seen = time.perf_counter(), 500, 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _BodyTooLarge
            return message

        async def respond(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, limited, respond)
        except _BodyTooLarge:
            status = 413
            await self._too_large(send)
        finally:
            metrics = self.holder.get("metrics")
            if metrics is not None:
                path = getattr(scope.get("route"), "path", None) or "unmatched"
                metrics.requests.labels(path, scope["method"], str(status)).inc()
                metrics.latency.labels(path, scope["method"]).observe(
                    time.perf_counter() - started)

    async def _too_large(self, send: Send) -> None:
        body = f'{{"detail":"request body over {self.max_bytes} bytes"}}'.encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})
