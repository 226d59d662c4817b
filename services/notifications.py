"""Show the notification outbox: what went where, what waits for a retry, what was given up."""

from datetime import datetime

from pydantic import BaseModel

from core.channels import describe
from core.outbox import deliveries
from services.context import Medic

STATUSES = ("pending", "sent", "failed")


class Delivery(BaseModel):
    """One message on its way to one channel (the channel's secrets are never shown)."""

    id: int
    notification_id: int
    incident_id: int | None
    channel: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    created_at: datetime
    sent_at: datetime | None


def listing(medic: Medic, *, status: str | None = None, limit: int = 100) -> list[Delivery]:
    """Return deliveries, newest first, optionally in one state."""
    return [Delivery(**row) for row in deliveries(medic.sessions, status=status, limit=limit)]


def channels(medic: Medic) -> str:
    """Say which channels are configured, or that messages are stored only."""
    return describe(medic.settings)
