"""Notification channels (Slack, email, signed webhook), registered once, and which are on.

Adding a channel: write `core/channels/<name>.py` with a class that declares its `name`,
the `settings` it reads, `from_settings` and `send` (`core.channels.base.Channel`), then
add it to `CHANNELS` below. Routes (`configs/notifications.yaml`) may then name it.
"""

import logging

from core.channels.base import Attach, Channel
from core.channels.email import EmailChannel
from core.channels.slack import SlackChannel
from core.channels.webhook import WebhookChannel

log = logging.getLogger(__name__)

CHANNELS: dict[str, type[Channel]] = {
    channel.name: channel for channel in (SlackChannel, EmailChannel, WebhookChannel)
}


def names() -> tuple[str, ...]:
    """Return the registered channels' names, in their order."""
    return tuple(CHANNELS)


def configured(settings, *, attach: Attach | None = None) -> dict[str, Channel]:
    """Build every channel the settings configure, by name; refuse half-set ones.

    `attach` gives email messages an attachment (the incident report when one closes).
    """
    built = {name: channel.from_settings(settings, attach=attach)
             for name, channel in CHANNELS.items()}
    return {name: channel for name, channel in built.items() if channel is not None}


def describe(settings) -> str:
    """Say in one line which channels are configured (for `medic up` and start-up logs)."""
    on = list(configured(settings))
    if on:
        return "notification channels: " + ", ".join(on)
    switches = [f"MEDIC_{channel.settings[0].upper()}" for channel in CHANNELS.values()]
    return ("no notification channel configured: messages are stored only "
            f"(set {', '.join(switches[:-1])} or {switches[-1]})")


__all__ = ["CHANNELS", "Attach", "Channel", "configured", "describe", "names"]
