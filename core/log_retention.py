"""Keep the prediction log `MEDIC_PREDICTION_RETENTION_DAYS` long, with its labels and counts.

Rows logged before midnight UTC `days` days ago go: on PostgreSQL a whole day partition is
dropped at once (`core/log_partitions.py`); rows anywhere else (SQLite's one table,
PostgreSQL's DEFAULT partition) are deleted `BATCH` at a time, each batch in a short
transaction of its own. Their feedback labels, their per-30-second counts and histograms
(`core/rollup.py`) go with them, so what the Overview, Monitoring and Performance count
stays what the log holds; so do rollouts' shadow scores (`shadow_predictions`) older than
the cutoff.

Request ids are UUIDv7 (`services.predictions.new_request_id`): their first 48 bits are
the millisecond they were issued, so a label for an id older than the retention is told
apart from one for an id never issued without a lookup (`expired`).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import BigInteger, Connection, String, column, delete, select, table
from sqlalchemy.exc import SQLAlchemyError

from core import histograms, log_partitions
from core.periodic import PeriodicJob
from core.request_ids import issued_at
from core.rollup import slot
from core.tables import (
    ErrorSum,
    Feedback,
    LabelCount,
    LatencyCount,
    PredictionCount,
    ScoreCount,
    ShadowPrediction,
    UTCDateTime,
)

log = logging.getLogger(__name__)

SCHEDULE = "prediction-log-retention"
BATCH = 5_000  # rows deleted per transaction where no partition can be dropped
EVERY_SECONDS = 3600.0


@dataclass
class Removed:
    """What one retention pass removed: day partitions dropped and rows deleted."""

    partitions: list[str] = field(default_factory=list)
    rows: int = 0
    shadows: int = 0
    """Rollouts' shadow scores deleted (their partner rows are gone or going)."""


def cutoff(now: datetime, days: int) -> datetime:
    """Return the instant before which rows are removed: midnight UTC `days` days ago."""
    return log_partitions.day_start(now) - timedelta(days=days)


def expired(request_id: str, *, now: datetime, days: int) -> bool:
    """Say whether `request_id` was issued before the retention's cutoff."""
    issued = issued_at(request_id)
    return issued is not None and issued < cutoff(now, days)


def apply(sessions, *, days: int, now: datetime) -> Removed:
    """Remove what is older than the retention; return what went."""
    before = cutoff(now, days)
    removed = Removed()
    with _begin(sessions) as connection:
        partitioned = log_partitions.is_partitioned(connection)
        kept_days = log_partitions.days(connection) if partitioned else {}
    for day in sorted(d for d in kept_days if d < before.date()):
        try:
            with _begin(sessions) as connection:
                log_partitions.drop_day(connection, day)
            removed.partitions.append(kept_days.pop(day))
        except SQLAlchemyError as error:  # a lock not had in time: the next run drops it
            log.warning("prediction log partition %s not dropped now: %s",
                        log_partitions.name_of(day), str(error).splitlines()[0])
    source = log_partitions.DEFAULT if partitioned else "predictions"
    removed.rows = _delete_rows(sessions, source, before)
    removed.shadows = _delete_shadows(sessions, before)
    _trim_counts(sessions, _kept_from(before, kept_days))
    if removed.partitions or removed.rows:
        log.info("prediction log retention (%d days): dropped %d partition(s), deleted %d "
                 "row(s) logged before %s", days, len(removed.partitions), removed.rows,
                 f"{before:%Y-%m-%d}")
    return removed


def job(sessions, days: int, *, every_seconds: float = EVERY_SECONDS) -> PeriodicJob:
    """Return the worker's job: partitions made ahead, then the retention (one worker)."""
    def run(now: datetime) -> Removed:
        with _begin(sessions) as connection:
            if log_partitions.is_partitioned(connection):
                log_partitions.ensure(connection, now.date())
        return apply(sessions, days=days, now=now)

    return PeriodicJob(SCHEDULE, run, every_seconds=every_seconds, claimed=True)


def _delete_rows(sessions, source: str, before: datetime) -> int:
    """Delete `source`'s rows logged before `before`, BATCH per transaction, labels too."""
    rows = table(source, column("id", BigInteger()), column("request_id", String()),
                 column("created_at", UTCDateTime()))
    deleted = 0
    while True:
        with _begin(sessions) as connection:
            doomed = select(rows.c.id).where(rows.c.created_at < before).limit(BATCH)
            ids = connection.scalars(delete(rows).where(rows.c.id.in_(doomed.scalar_subquery()))
                                     .returning(rows.c.request_id)).all()
            if ids:
                connection.execute(delete(Feedback).where(Feedback.request_id.in_(ids)))
        deleted += len(ids)
        if len(ids) < BATCH:
            return deleted


def _delete_shadows(sessions, before: datetime) -> int:
    """Delete rollouts' shadow scores older than the log they pair with, BATCH at a time."""
    deleted = 0
    while True:
        with _begin(sessions) as connection:
            doomed = select(ShadowPrediction.id).where(ShadowPrediction.at < before).limit(BATCH)
            gone = connection.execute(delete(ShadowPrediction).where(
                ShadowPrediction.id.in_(doomed.scalar_subquery()))).rowcount
        deleted += gone
        if gone < BATCH:
            return deleted


def _kept_from(before: datetime, kept_days: dict[date, str]) -> datetime:
    """Return the instant the log is whole from: the cutoff, or an older day not dropped."""
    older = [d for d in kept_days if d < before.date()]
    return datetime.combine(min(older), datetime.min.time(), tzinfo=UTC) if older else before


def _trim_counts(sessions, kept_from: datetime) -> None:
    """Delete the per-slot counts of the slots before `kept_from` (their rows are gone).

    `kept_from` is a midnight: the histograms' hours and days before it go whole.
    """
    first = slot(kept_from)
    with _begin(sessions) as connection:
        for counts in (PredictionCount, LabelCount):
            connection.execute(delete(counts).where(counts.slot < first))
        for spread in (LatencyCount, ScoreCount, ErrorSum):  # their keys start with the width
            connection.execute(delete(spread).where(spread.width.in_(histograms.WIDTHS),
                                                    spread.slot < first))


@contextmanager
def _begin(sessions) -> Iterator[Connection]:
    """Yield the connection of a new transaction, committed when the block ends."""
    with sessions.begin() as session:
        yield session.connection()
