"""Deliver queued notifications: due items only, retried with exponential backoff, then given up."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from core.channels import Channel
from core.channels.message import Message
from core.clock import utcnow
from core.errors import DeliveryError
from core.tables import Notification, OutboxItem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """What one delivery attempt did."""

    item_id: int
    channel: str
    status: str  # sent, pending (will retry), failed (gave up)
    attempts: int
    error: str = ""


class Outbox:
    """The delivery loop's one step: call `deliver_due(now)` on every worker tick."""

    def __init__(self, sessions: sessionmaker, channels: dict[str, Channel], *,
                 max_attempts: int = 8, retry: timedelta = timedelta(seconds=30),
                 max_delay: timedelta = timedelta(hours=1),
                 lease: timedelta = timedelta(minutes=2), batch: int = 50) -> None:
        self._sessions = sessions
        self._channels = channels
        self._max_attempts, self._retry, self._max_delay = max_attempts, retry, max_delay
        self._lease, self._batch = lease, batch

    @classmethod
    def from_settings(cls, sessions: sessionmaker, settings, *, attach=None) -> "Outbox":
        """Build over the configured channels with the settings' retry policy."""
        from core.channels import configured

        return cls(sessions, configured(settings, attach=attach),
                   max_attempts=settings.notify_max_attempts,
                   retry=timedelta(seconds=settings.notify_retry_seconds))

    def deliver_due(self, now: datetime | None = None) -> list[Attempt]:
        """Try every item whose time has come, oldest first; return what each attempt did."""
        now = now or utcnow()
        with self._sessions() as session:
            due = session.scalars(
                select(OutboxItem).where(OutboxItem.status == "pending",
                                         OutboxItem.next_attempt_at <= now)
                .order_by(OutboxItem.id).limit(self._batch)).all()
        return [self._attempt(item, now) for item in due if self._claim(item, now)]

    def backoff(self, attempts: int) -> timedelta:
        """Return the wait after the `attempts`-th failure: retry, doubled each time, capped."""
        return min(self._retry * 2 ** (attempts - 1), self._max_delay)

    def _claim(self, item: OutboxItem, now: datetime) -> bool:
        """Take the item for this process (another worker may race); count the attempt."""
        with self._sessions.begin() as session:
            claimed = session.execute(
                update(OutboxItem).where(OutboxItem.id == item.id,
                                         OutboxItem.status == "pending",
                                         OutboxItem.attempts == item.attempts)
                .values(attempts=item.attempts + 1, next_attempt_at=now + self._lease)
            ).rowcount
        return claimed == 1

    def _attempt(self, item: OutboxItem, now: datetime) -> Attempt:
        attempts = item.attempts + 1
        try:
            channel = self._channels.get(item.channel)
            if channel is None:
                raise DeliveryError(f"channel {item.channel} is not configured")
            channel.send(Message.model_validate(item.message))
            error = ""
        except DeliveryError as failure:
            error = str(failure)[:500]
        except Exception as failure:  # noqa: BLE001  a bug in one channel must not stop the loop
            log.error("notification channel %s crashed", item.channel, exc_info=True)
            error = f"{item.channel} crashed ({type(failure).__name__})"
        status = "sent" if not error else (
            "failed" if attempts >= self._max_attempts else "pending")
        values: dict = {"status": status, "last_error": error}
        if status == "sent":
            values["sent_at"] = now
        elif status == "pending":
            values["next_attempt_at"] = now + self.backoff(attempts)
        with self._sessions.begin() as session:
            session.execute(update(OutboxItem).where(OutboxItem.id == item.id).values(**values))
        log_at = log.warning if error else log.info
        log_at("notification %s via %s: %s after %d attempt(s)%s", item.notification_id,
               item.channel, status, attempts, f" ({error})" if error else "")
        return Attempt(item.id, item.channel, status, attempts, error)


def deliveries(sessions: sessionmaker, *, status: str | None = None,
               limit: int = 100) -> list[dict]:
    """Return outbox items with their message subject, newest first (for `medic notifications`)."""
    query = (select(OutboxItem, Notification.subject, Notification.incident_id)
             .join(Notification, OutboxItem.notification_id == Notification.id)
             .order_by(OutboxItem.id.desc()).limit(limit))
    if status is not None:
        query = query.where(OutboxItem.status == status)
    with sessions() as session:
        return [{"id": item.id, "notification_id": item.notification_id,
                 "incident_id": incident_id, "channel": item.channel, "subject": subject,
                 "status": item.status, "attempts": item.attempts,
                 "next_attempt_at": item.next_attempt_at if item.status == "pending" else None,
                 "last_error": item.last_error, "created_at": item.created_at,
                 "sent_at": item.sent_at}
                for item, subject, incident_id in session.execute(query)]
