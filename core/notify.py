"""Send messages to people; every message is also kept in the app database."""

import logging
from typing import Protocol

from sqlalchemy.orm import sessionmaker

from core.tables import Notification

log = logging.getLogger(__name__)


class Channel(Protocol):
    """Somewhere a message can go (email, Slack, …)."""

    name: str

    def send(self, subject: str, body: str) -> None:
        """Deliver one message; raise on failure."""


class Notifier:
    """Keep each message and hand it to every configured channel."""

    def __init__(self, sessions: sessionmaker, channels: list[Channel] | None = None) -> None:
        self._sessions = sessions
        self._channels = channels or []

    def send(self, subject: str, body: str, *, incident_id: int | None = None) -> list[str]:
        """Store and deliver; return the channels that took it."""
        delivered = []
        for channel in self._channels:
            try:
                channel.send(subject, body)
                delivered.append(channel.name)
            except OSError:
                log.warning("notification channel %s failed", channel.name, exc_info=True)
        with self._sessions.begin() as session:
            session.add(Notification(incident_id=incident_id, subject=subject[:500], body=body,
                                     channels=delivered))
        log.info("notified (%s): %s", ", ".join(delivered) or "stored only", subject)
        return delivered
