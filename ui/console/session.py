"""Keep a console session in a signed, HttpOnly, SameSite=Strict cookie naming a stored login."""

import logging
from collections.abc import Callable

from core.errors import ConfigError
from core.roles import Principal

log = logging.getLogger(__name__)

COOKIE = "medic_console"


class Logins:
    """Start, check and end console logins in the app database (shared by every replica)."""

    def __init__(self, sessions: Callable[[], object]) -> None:
        self._sessions = sessions  # returns the app's session factory when called

    def start(self, principal: Principal, seconds: int) -> str:
        """Store a login and return its id."""
        from core import logins

        with self._sessions().begin() as session:
            return logins.start(session, principal, seconds=seconds)

    def live(self, login_id: str, principal: Principal) -> bool:
        """Return whether the login is still open and its key still held."""
        from core import logins

        with self._sessions()() as session:
            return logins.live(session, login_id, principal)

    def end(self, login_id: str) -> None:
        """End the login."""
        from core import logins

        with self._sessions().begin() as session:
            logins.end(session, login_id)


class SessionSigner:
    """Issue and read session cookies: who logged in, with which role, and which login."""

    def __init__(self, secret: bytes, *, hours: float, logins: Logins | None = None) -> None:
        from itsdangerous import URLSafeTimedSerializer

        self._serializer = URLSafeTimedSerializer(secret, salt="medic-console-session")
        self.max_age = int(hours * 3600)
        self._logins = logins  # None only in tests of the signature alone

    def issue(self, principal: Principal) -> str:
        """Start a login for a principal and return its cookie value."""
        data = {"name": principal.name, "role": principal.role}
        if self._logins is not None:
            data["login"] = self._logins.start(principal, self.max_age)
        return self._serializer.dumps(data)

    def read(self, value: str | None) -> Principal | None:
        """Return the principal of a valid, unexpired cookie whose login is open; else None."""
        data = self._load(value)
        if data is None:
            return None
        principal = Principal(name=data["name"], role=data["role"])
        if self._logins is not None and not self._logins.live(data.get("login", ""), principal):
            return None
        return principal

    def end(self, value: str | None) -> None:
        """End the cookie's login (a logout): the cookie is refused from now on, everywhere."""
        data = self._load(value)
        if data is not None and self._logins is not None and data.get("login"):
            self._logins.end(data["login"])

    def _load(self, value: str | None) -> dict | None:
        from itsdangerous import BadSignature

        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=self.max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not {"name", "role"} <= data.keys():
            return None
        return data


def signing_secret(settings) -> bytes:
    """Return the session-signing secret: set, or generated into home's secrets file."""
    value = settings.ui_session_secret.get_secret_value()
    if not value:  # settings refuse an empty one; a console without it must not start
        raise ConfigError("the console needs MEDIC_UI_SESSION_SECRET (MEDIC_UI is off?)")
    return value.encode()
