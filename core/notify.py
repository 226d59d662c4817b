"""Tell people: keep every message, and queue it in the outbox for the channels routed to it."""

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from core.channels.message import Kind, Message, Severity
from core.channels.routes import Routes
from core.clock import utcnow
from core.tables import Notification, OutboxItem

log = logging.getLogger(__name__)


class Notifier:
    """Store each message and queue one outbox item per routed, configured channel."""

    def __init__(self, sessions: sessionmaker, *, routes: Routes | None = None,
                 channels: Iterable[str] = (), public_url: str = "",
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._routes = routes or Routes()
        self._channels = set(channels)
        self._public_url = public_url.rstrip("/")
        self._clock = clock

    @classmethod
    def from_settings(cls, sessions: sessionmaker, settings, **kwargs) -> "Notifier":
        """Build with the configured channels and the routing rules of the settings."""
        from core.channels import configured

        return cls(sessions, routes=Routes.load(settings.notify_routes),
                   channels=configured(settings), public_url=settings.public_url, **kwargs)

    def send(self, subject: str, body: str, *, incident_id: int | None = None,
             kind: Kind = "outcome", severity: Severity | None = None,
             diagnosis: Sequence[str] = (), actions: Sequence[str] = (),
             expires_at: datetime | None = None, approval_id: int | None = None,
             digest: str | None = None, mentions: Sequence[str] = (),
             recipients: Sequence[str] = ()) -> list[str]:
        """Store and queue; return the channels it was queued to (empty: stored only)."""
        link = (incident_link(self._public_url, incident_id)
                if self._public_url and incident_id is not None else None)
        return self.post(Message(
            kind=kind, subject=subject[:500], body=body, severity=severity,
            incident_id=incident_id, diagnosis=list(diagnosis), actions=list(actions),
            expires_at=expires_at, link=link, approval_id=approval_id, digest=digest,
            mentions=list(mentions), recipients=list(recipients)))

    def post(self, message: Message) -> list[str]:
        """Store a built message and queue it; return the channels it was queued to."""
        targets = [name for name in self._routes.channels_for(message)
                   if name in self._channels]
        now = self._clock()
        with self._sessions.begin() as session:
            row = Notification(incident_id=message.incident_id, subject=message.subject,
                               body=message.body, channels=targets, sent_at=now)
            session.add(row)
            session.flush()
            payload = message.model_dump(mode="json")
            session.add_all(OutboxItem(notification_id=row.id, channel=name, message=payload,
                                       next_attempt_at=now, created_at=now)
                            for name in targets)
        log.info("notification %s (%s): %s", row.id, ", ".join(targets) or "stored only",
                 message.subject)
        return targets


def incident_link(public_url: str, incident_id: int) -> str:
    """Return the console page of an incident (it asks for a login first, then opens it)."""
    return f"{public_url.rstrip('/')}/ui/?incident={int(incident_id)}"
