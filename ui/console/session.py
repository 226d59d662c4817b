"""Keep a console session in a signed, HttpOnly, SameSite=Strict cookie that expires."""

import logging
from collections.abc import Callable

from core.errors import ConfigError
from core.roles import Principal

log = logging.getLogger(__name__)

COOKIE = "medic_console"


class SessionSigner:
    """Issue and read session cookies: who logged in and with which role, signed and dated."""

    def __init__(self, secret: bytes, *, hours: float,
                 still_held: Callable[[Principal], bool] | None = None) -> None:
        from itsdangerous import URLSafeTimedSerializer

        self._serializer = URLSafeTimedSerializer(secret, salt="medic-console-session")
        self.max_age = int(hours * 3600)
        self._still_held = still_held  # a revoked key ends its sessions at once

    def issue(self, principal: Principal) -> str:
        """Return the cookie value for a principal."""
        return self._serializer.dumps({"name": principal.name, "role": principal.role})

    def read(self, value: str | None) -> Principal | None:
        """Return the principal of a valid, unexpired cookie; None for anything else."""
        from itsdangerous import BadSignature

        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=self.max_age)
        except BadSignature:
            return None
        principal = Principal(name=data["name"], role=data["role"])
        if self._still_held is not None and not self._still_held(principal):
            return None
        return principal


def signing_secret(settings) -> bytes:
    """Return the session-signing secret: set, or generated into home's secrets file."""
    value = settings.ui_session_secret.get_secret_value()
    if not value:  # settings refuse an empty one; a console without it must not start
        raise ConfigError("the console needs MEDIC_UI_SESSION_SECRET (MEDIC_UI is off?)")
    return value.encode()
