"""Keep a console session in a signed, HttpOnly, SameSite=Strict cookie that expires."""

import logging
import os
import secrets
from collections.abc import Callable

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
    """Return the configured secret, or one generated once into home (mode 0600)."""
    configured = settings.ui_session_secret.get_secret_value()
    if configured:
        return configured.encode()
    path = settings.ensure_home() / "console-session.key"
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        log.info("generated the console's session key in %s", path)
    return path.read_text().strip().encode()
