"""A notification channel declares its name, the settings it reads, how it is built, `send`."""

import functools
from collections.abc import Callable
from typing import ClassVar, Protocol

from core.channels.message import Message
from core.errors import DeliveryError

Attach = Callable[[Message], tuple[str, bytes] | None]
"""Give a message its attachment (file name, PDF bytes), or None: e.g. an incident report."""


class Channel(Protocol):
    """Somewhere a message can go, declared once and registered in `core/channels/__init__.py`.

    `settings` names the fields of `core.settings.Settings` it reads (`MEDIC_<FIELD>`), the
    one that turns it on first. `from_settings` builds it from them: None when it is off,
    ConfigError when it is half set. `send` delivers one message.
    """

    name: ClassVar[str]
    settings: ClassVar[tuple[str, ...]]

    @classmethod
    def from_settings(cls, settings, *, attach: Attach | None = None) -> "Channel | None":
        """Build the channel the settings configure; None when they leave it off."""

    def send(self, message: Message) -> None:
        """Deliver one message; raise DeliveryError on failure."""


def post(url: str, *, what: str, **request):
    """POST with httpx (imported here: a process that sends nothing never pays for it).

    Raise DeliveryError naming `what` when it cannot be reached; return the reply.
    """
    import httpx

    try:
        return httpx.post(url, verify=_tls(), **request)
    except httpx.HTTPError as error:
        raise DeliveryError(f"{what} unreachable ({type(error).__name__})") from None


@functools.cache
def _tls():
    """Return the TLS context every message shares, made once.

    httpx would read the CA bundle anew for each message (about 20 ms of CPU).
    """
    import ssl

    import certifi

    return ssl.create_default_context(cafile=certifi.where())
