"""Declare the watching tables: monitor states, results, history and schedule, silences, flaps."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.tables import Base, UTCDateTime, model_column


class MonitorStateRecord(Base):
    """A monitor's hysteresis state between checks, so a restart neither re-fires nor forgets."""

    __tablename__ = "monitor_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = model_column(primary_key=True)  # each model's monitor is its own
    firing: Mapped[bool] = mapped_column(Boolean, default=False)
    breaches: Mapped[int] = mapped_column(Integer, default=0)
    clears: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[str] = mapped_column(String(32), default="ok")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MonitorResultRecord(Base):
    """A monitor's last check as JSON, so every replica can export it at scrape time."""

    __tablename__ = "monitor_results"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = model_column(primary_key=True)
    result: Mapped[dict] = mapped_column(JSON)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MonitorHistoryRecord(Base):
    """One past check of one model's monitor, kept 30 days for the trends (pruned by age)."""

    __tablename__ = "monitor_history"
    __table_args__ = (Index("ix_monitor_history_name_checked_at", "name", "checked_at"),
                      Index("ix_monitor_history_model_name_checked_at", "model", "name",
                            "checked_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = model_column()
    name: Mapped[str] = mapped_column(String(64))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    state: Mapped[str] = mapped_column(String(32))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    points: Mapped[dict] = mapped_column(JSON)  # {series name: number}, a few dozen at most


class MonitorHourCount(Base):
    """One monitor's checks in one hour, summed, for the console's day and week plots.

    `points` and `judged` map each point's name to [sum, count], `judged` over the checks
    that had enough data (state not `insufficient_data`). Kept by `core/monitor_counts.py`
    where the history is appended.
    """

    __tablename__ = "monitor_hour_counts"

    model: Mapped[str] = model_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # epoch second, hour start
    checks: Mapped[int] = mapped_column(Integer, default=0)
    valued: Mapped[int] = mapped_column(Integer, default=0)
    value_sum: Mapped[float] = mapped_column(Float, default=0.0)
    points: Mapped[dict] = mapped_column(JSON)
    judged: Mapped[dict] = mapped_column(JSON)


class MonitorSchedule(Base):
    """When a periodic job (the monitors, checkpoint pruning) is next due.

    Claimed by compare-and-set, so each run happens once across all workers.
    """

    __tablename__ = "monitor_schedule"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IncidentFlaps(Base):
    """How often a closed incident's alert fired again within the cooldown and joined it."""

    __tablename__ = "incident_flaps"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    flaps: Mapped[int] = mapped_column(Integer, default=0)
    last_flap_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Silence(Base):
    """A maintenance window: firing alerts whose labels match are stored but not acted on."""

    __tablename__ = "silences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    matchers: Mapped[dict] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(128))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    expired_by: Mapped[str | None] = mapped_column(String(128), nullable=True)


class SilencedAlert(Base):
    """An alert a silence held: stored and shown, never handed to the agent."""

    __tablename__ = "silenced_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    silence_id: Mapped[int] = mapped_column(ForeignKey("silences.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
