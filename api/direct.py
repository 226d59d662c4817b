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

    def __init__(self, app: ASGIApp, *, routes, handlers: dict, paths=()) -> None:
        """Serve `routes`, and `paths` (method, exact path, route, endpoint) directly.

        `paths` are a templated route's known paths (each model's predict path), served by an
        endpoint that takes only the request.
        """
        self.app, self.handlers = app, handlers
        self.routes = {(method, route.path): (route, route.endpoint, {}) for route in routes
                       for method in route.methods}
        self.routes.update({(method, path): (route, endpoint,
                                             route.path_regex.match(path).groupdict())
                            for method, path, route, endpoint in paths})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.routes.get((scope["method"], scope["path"])) \
            if scope["type"] == "http" else None
        if found is None:
            return await self.app(scope, receive, send)
        route, endpoint, params = found
        scope["route"] = route  # as routing sets them: the metrics label requests by
        scope["path_params"] = dict(params)  # the route and count a model's by its name
        request = Request(scope, receive)
        try:
            response = await endpoint(request)
        except Exception as error:
            handler = next((self.handlers[kind] for kind in type(error).__mro__
                            if kind in self.handlers), None)
            if handler is None:
                raise
            response = await handler(request, error)
        await response(scope, receive, send)
