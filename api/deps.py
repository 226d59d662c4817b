"""Dependencies for routes: the services, the caller and their role, rate limits."""

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from api.security import bearer_token
from api.services import Services
from core.roles import Action, Principal, require
from services.context import Medic


async def get_services(request: Request) -> Services:
    """Return the services built in the lifespan."""
    return request.app.state.services


async def get_medic(request: Request) -> Medic:
    """Return what the service functions act on."""
    return request.app.state.services.medic


ServicesDep = Annotated[Services, Depends(get_services)]
MedicDep = Annotated[Medic, Depends(get_medic)]


def caller(request: Request) -> Principal:
    """Authenticate `X-API-Key` (or `Authorization: Bearer <key>`) and apply rate limits.

    Reads the headers itself rather than through `Header()` parameters: this runs on every
    request, and keys are cached, so the database is read at most once per key per 30 s.
    """
    services = request.app.state.services
    headers = request.headers
    key = headers.get("x-api-key") or bearer_token(headers.get("authorization"))
    client = request.client.host if request.client else "unknown"
    services.limiter.check(f"ip:{client}")
    principal = services.keys.principal(key)
    services.limiter.check(f"key:{principal.name}:{principal.role}")
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
