"""Declare the app database's tables."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class RegistryLock(Base):
    """One row per model; updating it serialises alias changes across processes."""

    __tablename__ = "registry_locks"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    changes: Mapped[int] = mapped_column(Integer, default=0)


class RegistryEvent(Base):
    """A change of alias in the model registry: who moved what, when and why."""

    __tablename__ = "registry_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(32))  # promote, challenger, rollback
    alias: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(32))
    replaced: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
