"""Call the hottest endpoints straight from the edge, past FastAPI's routing and injection.

FastAPI spends more on a request (matching the route table, solving dependencies, its
inner middlewares) than a single-row prediction costs in all. A route listed here is
still an ordinary FastAPI route (documented, and what any other path or method reaches),
but a request for its exact path and method calls its endpoint here, with a plain
`Request`; its errors go to the app's own exception handlers, so the answer is the same.
An endpoint served this way takes only the request, and checks the caller itself.
"""

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send


class Direct:
    """Serve `routes` (FastAPI routes whose endpoint takes only the request) directly."""

    def __init__(self, app: ASGIApp, *, routes, handlers: dict) -> None:
        self.app, self.handlers = app, handlers
        self.routes = {(method, route.path): route for route in routes
                       for method in route.methods}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get((scope["method"], scope["path"])) \
            if scope["type"] == "http" else None
        if route is None:
            return await self.app(scope, receive, send)
        scope["route"] = route  # as routing sets it: the metrics label requests by it
        request = Request(scope, receive)
        try:
            response = await route.endpoint(request)
        except Exception as error:
            handler = next((self.handlers[kind] for kind in type(error).__mro__
                            if kind in self.handlers), None)
            if handler is None:
                raise
            response = await handler(request, error)
        await response(scope, receive, send)
