"""Notification channels (Slack, email, signed webhook) and which of them settings turn on."""

import logging
from typing import Protocol

from core.channels.message import Message
from core.errors import ConfigError

log = logging.getLogger(__name__)

ALL = ("slack", "email", "webhook")


class Channel(Protocol):
    """Somewhere a message can go."""

    name: str

    def send(self, message: Message) -> None:
        """Deliver one message; raise DeliveryError on failure."""


def configured(settings, *, attach=None) -> dict[str, Channel]:
    """Build every channel the settings configure, by name; refuse half-set ones.

    `attach` gives email messages an attachment (the incident report when one closes).
    """
    from core.approval_links import LinkSigner
    from core.channels.email import EmailChannel
    from core.channels.slack import SlackApi, SlackBot, SlackChannel
    from core.channels.webhook import WebhookChannel

    channels: dict[str, Channel] = {}
    timeout = settings.notify_timeout
    if settings.slack_bot_token.get_secret_value():  # the app's bot: approval buttons
        channels["slack"] = SlackBot(SlackApi(settings.slack_bot_token, url=settings.slack_api_url,
                                              timeout=timeout), settings.slack_channel)
    elif settings.slack_webhook_url.get_secret_value():
        channels["slack"] = SlackChannel(settings.slack_webhook_url, timeout=timeout)
    if settings.smtp_host:
        recipients = [a.strip() for a in settings.email_to.split(",") if a.strip()]
        if not recipients or not settings.email_from:
            raise ConfigError("MEDIC_SMTP_HOST needs MEDIC_EMAIL_FROM and MEDIC_EMAIL_TO")
        channels["email"] = EmailChannel(
            host=settings.smtp_host, port=settings.smtp_port, sender=settings.email_from,
            recipients=recipients, user=settings.smtp_user, password=settings.smtp_password,
            starttls=settings.smtp_starttls, timeout=timeout, attach=attach,
            links=LinkSigner(settings.webhook_secret.get_secret_value()),
            public_url=settings.public_url)
    if settings.notify_webhook_url.get_secret_value():
        if not settings.notify_webhook_secret.get_secret_value():
            raise ConfigError("MEDIC_NOTIFY_WEBHOOK_URL needs MEDIC_NOTIFY_WEBHOOK_SECRET")
        channels["webhook"] = WebhookChannel(settings.notify_webhook_url,
                                             settings.notify_webhook_secret, timeout=timeout)
    return channels


def describe(settings) -> str:
    """Say in one line which channels are configured (for `medic up` and start-up logs)."""
    names = list(configured(settings))
    if names:
        return "notification channels: " + ", ".join(names)
    return ("no notification channel configured: messages are stored only "
            "(set MEDIC_SLACK_WEBHOOK_URL or MEDIC_SLACK_BOT_TOKEN, MEDIC_SMTP_HOST or "
            "MEDIC_NOTIFY_WEBHOOK_URL)")
