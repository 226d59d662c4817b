"""Check what FastAPI would read loosely: JSON bodies (depth, NaN, NUL) and NUL in URLs.

FastAPI answers a body too deeply nested for `json.loads` with a bare 400 that names
nothing, and passes NUL characters on to the database, where PostgreSQL refuses them with
a 500. Every routed endpoint is built with `Router` (its routes are `StrictRoute`s), so
those inputs are refused here, with a 422 naming where the problem is.
"""

from functools import partial

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute

from core import jsonbody
from core.errors import InvalidInput


class StrictRoute(APIRoute):
    """An APIRoute that checks the URL and parses a JSON body strictly before FastAPI does."""

    def get_route_handler(self):
        """Wrap FastAPI's handler: refuse NUL in the path or query, parse the body strictly."""
        handler = super().get_route_handler()

        async def strict(request: Request):
            for name, value in (*request.path_params.items(), *request.query_params.items()):
                if "\x00" in name or "\x00" in value:
                    raise InvalidInput(f"{jsonbody.field((name,))}: text may not hold the "
                                       "NUL character (\\u0000)")
            if self.body_field is not None and _is_json(request.headers.get("content-type")):
                body = await request.body()
                if body:
                    request._json = jsonbody.loads(body)  # what request.json() returns
            return await handler(request)

        return strict


def _is_json(content_type: str | None) -> bool:
    """Say whether FastAPI reads the body as JSON (only when its content type says so)."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/")
                                          and kind.endswith("+json"))


Router = partial(APIRouter, route_class=StrictRoute)
