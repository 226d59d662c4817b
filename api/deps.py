"""Dependencies for routes: the `Medic` context, the app's root, the caller and their role."""

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from api.root import AppRoot
from api.security import bearer_token
from core.roles import Action, Principal, require
from services.context import Medic


async def get_root(request: Request) -> AppRoot:
    """Return the app's root, built in the lifespan (for what only HTTP needs)."""
    return request.app.state.root


async def get_medic(request: Request) -> Medic:
    """Return what the service functions act on."""
    return request.app.state.root.medic


RootDep = Annotated[AppRoot, Depends(get_root)]
MedicDep = Annotated[Medic, Depends(get_medic)]


def caller(request: Request) -> Principal:
    """Authenticate `X-API-Key` (or `Authorization: Bearer <key>`) and apply rate limits.

    Reads the headers itself rather than through `Header()` parameters: this runs on every
    request, and keys are cached, so the database is read at most once per key per 30 s.
    """
    root = request.app.state.root
    headers = request.headers
    key = headers.get("x-api-key") or bearer_token(headers.get("authorization"))
    client = request.client.host if request.client else "unknown"
    root.limiter.check(f"ip:{client}")
    principal = root.keys.principal(key)
    root.limiter.check(f"key:{principal.name}:{principal.role}")
    return principal


def authorized(request: Request, action: Action) -> Principal:
    """Return the caller if their role may do `action` (for endpoints served directly)."""
    return require(caller(request), action)


def _role(action: Action):
    async def check(request: Request) -> Principal:
        return authorized(request, action)
    return check


async def _anyone(request: Request) -> Principal:
    return caller(request)


Reader = Annotated[Principal, Depends(_role("read"))]
Predictor = Annotated[Principal, Depends(_role("predict"))]
Caller = Annotated[Principal, Depends(_anyone)]
"""Any valid key: the service function checks the role (decide, manage models or keys)."""


Id = Annotated[int, Path(ge=1, le=2_147_483_647, description="A database id.")]
OptionalId = Annotated[int | None, Query(ge=1, le=2_147_483_647)]
