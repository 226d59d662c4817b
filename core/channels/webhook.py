"""Post messages as JSON to any URL, signed like Medic's own webhooks."""

import hashlib
import hmac
import time

from pydantic import SecretStr

from core.channels.base import post
from core.channels.message import Message
from core.errors import ConfigError, DeliveryError


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Return `X-Medic-Timestamp` and `X-Medic-Signature` (`sha256=` HMAC of `ts.body`)."""
    stamp = str(int(timestamp if timestamp is not None else time.time()))
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    return {"X-Medic-Timestamp": stamp, "X-Medic-Signature": "sha256=" + digest.hexdigest()}


class WebhookChannel:
    """One receiving URL and the secret both sides share."""

    name = "webhook"
    settings = ("notify_webhook_url", "notify_webhook_secret", "notify_timeout")

    @classmethod
    def from_settings(cls, settings, *, attach=None) -> "WebhookChannel | None":
        """Post to MEDIC_NOTIFY_WEBHOOK_URL when it is set; it needs its secret too."""
        if not settings.notify_webhook_url.get_secret_value():
            return None
        if not settings.notify_webhook_secret.get_secret_value():
            raise ConfigError("MEDIC_NOTIFY_WEBHOOK_URL needs MEDIC_NOTIFY_WEBHOOK_SECRET")
        return cls(settings.notify_webhook_url, settings.notify_webhook_secret,
                   timeout=settings.notify_timeout)

    def __init__(self, url: SecretStr, secret: SecretStr, *, timeout: float = 5.0) -> None:
        self._url = url
        self._secret = secret
        self._timeout = timeout

    def send(self, message: Message) -> None:
        """Post the message's JSON, signed; raise DeliveryError unless the answer is 2xx."""
        body = message.model_dump_json().encode()
        headers = {"Content-Type": "application/json",
                   **sign(self._secret.get_secret_value(), body)}
        reply = post(self._url.get_secret_value(), what="webhook", content=body,
                     headers=headers, timeout=self._timeout)
        if not reply.is_success:
            raise DeliveryError(f"webhook answered {reply.status_code}")
