"""Map Medic's error tree to HTTP answers, in one place."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from core.errors import (
    AlertError,
    AliasConflict,
    AuthError,
    ConfigError,
    Conflict,
    DataError,
    Expired,
    Forbidden,
    InvalidInput,
    MedicError,
    NotFound,
    PolicyError,
    RateLimited,
    ReportError,
    SilenceError,
    TooLarge,
    Unavailable,
)

log = logging.getLogger(__name__)

STATUS = [  # most specific first
    (AuthError, 401), (Forbidden, 403), (RateLimited, 429),
    (Expired, 410), (NotFound, 404),
    (AliasConflict, 409), (PolicyError, 409), (Conflict, 409), (AlertError, 422),
    (InvalidInput, 422), (DataError, 422), (SilenceError, 422), (TooLarge, 413),
    (Unavailable, 503), (ReportError, 503),
    (ConfigError, 500),
]


def status_of(error: MedicError) -> int:
    """Return the HTTP status of an error of Medic's."""
    return next((code for kind, code in STATUS if isinstance(error, kind)), 400)


async def medic_error(_request: Request, error: MedicError) -> JSONResponse:
    """Answer with the error's status and its one-line message."""
    status = status_of(error)
    retry = getattr(error, "retry_after", None)  # rate limits, a model still training
    headers = {"Retry-After": str(retry)} if retry is not None else {}
    if status == 401:
        headers["WWW-Authenticate"] = "ApiKey"
    if status >= 500:
        log.error("request failed: %s", error, exc_info=error)
    return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)


async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
    """Name each bad field, without echoing secrets or whole bodies back."""
    problems = [{"field": ".".join(str(p) for p in e["loc"] if p != "body") or "body",
                 "problem": e["msg"]} for e in error.errors()]
    return JSONResponse({"detail": "invalid request", "errors": problems[:50]},
                        status_code=422)


def register(app: FastAPI) -> None:
    """Install the handlers."""
    app.add_exception_handler(MedicError, medic_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
