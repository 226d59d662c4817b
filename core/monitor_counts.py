"""Sum the monitors' checks per hour, as the history is appended, for the day and week plots.

A week of checks a minute is 10,080 rows a monitor, each with a few dozen points: reading
and folding them took seconds. The plots' buckets for a day or more (hours x 150 s, when
that is whole hours) are whole hours, so the same fold kept per hour answers them from
168 rows a monitor. `fold` is the one way a check is added, to an hour here or to a
bucket when the raw history is read.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.monitor_tables import MonitorHistoryRecord, MonitorHourCount
from core.tables import FIRST_MODEL, insert_for

SLOT = 3600  # seconds
NOT_JUDGED = "insufficient_data"


def empty() -> dict:
    """Return a fold of no checks."""
    return {"checks": 0, "valued": 0, "value_sum": 0.0, "points": {}, "judged": {}}


def fold(total: dict, state: str, value: float | None, points: dict[str, float]) -> None:
    """Add one check to a fold: its count, its value, and each of its points."""
    total["checks"] += 1
    if value is not None:
        total["valued"] += 1
        total["value_sum"] += value
    for target in (total["points"], total["judged"]) if state != NOT_JUDGED \
            else (total["points"],):
        for key, number in points.items():
            cell = target.setdefault(key, [0.0, 0])
            cell[0] += number
            cell[1] += 1


def merge(total: dict, other: dict) -> None:
    """Add a fold of other checks to `total`."""
    for key in ("checks", "valued", "value_sum"):
        total[key] += other[key]
    for part in ("points", "judged"):
        for key, (summed, count) in other[part].items():
            cell = total[part].setdefault(key, [0.0, 0])
            cell[0] += summed
            cell[1] += count


def slot(at: datetime) -> int:
    """Return the epoch second that starts the hour `at` falls in (naive means UTC)."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return int(at.timestamp()) // SLOT * SLOT


def record(session: Session, checks: Iterable[dict], *, now: datetime,
           keep: timedelta) -> None:
    """Add checks ({name, state, value, points}, optionally model) made at `now` to their hour.

    Called in the transaction appending them to the history, after its writes (on SQLite
    the database's write lock is held; on PostgreSQL the hour's row is locked), and drops
    the hours wholly older than `keep`, as the history drops its checks.
    """
    add(session, [{**check, "checked_at": now} for check in checks])
    session.execute(MonitorHourCount.__table__.delete().where(
        MonitorHourCount.slot + SLOT <= slot(now - keep)))


def add(session: Session, checks: Iterable[dict]) -> None:
    """Add checks, each with its own `checked_at`, to their monitors' hours."""
    folds: dict[tuple[str, str, int], dict] = {}
    for check in checks:
        key = check.get("model") or FIRST_MODEL, check["name"], slot(check["checked_at"])
        fold(folds.setdefault(key, empty()), check["state"], check["value"], check["points"])
    for (model, name, hour), added in sorted(folds.items()):  # key order: no deadlock
        session.execute(insert_for(session, MonitorHourCount).values(
            model=model, name=name, slot=hour, **empty()).on_conflict_do_nothing())
        found = session.execute(select(MonitorHourCount).where(
            MonitorHourCount.model == model, MonitorHourCount.name == name,
            MonitorHourCount.slot == hour).with_for_update()).scalar_one()
        total = _row(found)
        merge(total, added)
        for column, value in total.items():
            setattr(found, column, value)


def buckets(session: Session, names: list[str], start: int, width: int,
            count: int, *, model: str = FIRST_MODEL) -> dict[str, list[dict]]:
    """Return, per monitor of `model`, the fold of each of `count` buckets of `width` s.

    `width` and `start` must be whole hours (the caller reads the raw history otherwise).
    """
    found: dict[str, list[dict]] = {}
    rows = session.execute(
        select(MonitorHourCount).where(MonitorHourCount.model == model,
                                       MonitorHourCount.name.in_(names),
                                       MonitorHourCount.slot >= start,
                                       MonitorHourCount.slot < start + width * count)
        .order_by(MonitorHourCount.slot)).scalars()
    for row in rows:
        folds = found.setdefault(row.name, [empty() for _ in range(count)])
        merge(folds[(row.slot - start) // width], _row(row))
    return found


def _row(row: MonitorHourCount) -> dict:
    """Return a stored hour as a fold of its own (copies: merging must not change the row)."""
    return {"checks": row.checks, "valued": row.valued, "value_sum": row.value_sum,
            "points": {k: list(v) for k, v in row.points.items()},
            "judged": {k: list(v) for k, v in row.judged.items()}}


def backfill(connection) -> None:
    """Sum what an upgraded home's history already holds (once: while the table is empty)."""
    if connection.scalar(select(MonitorHourCount.slot).limit(1)) is not None:
        return
    history = MonitorHistoryRecord.__table__
    folds: dict[tuple[str, str, int], dict] = {}
    for row in connection.execute(select(history.c.model, history.c.name,
                                         history.c.checked_at, history.c.state,
                                         history.c.value, history.c.points)
                                  .order_by(history.c.checked_at)):
        key = row.model, row.name, slot(row.checked_at)
        fold(folds.setdefault(key, empty()), row.state, row.value, row.points or {})
    if folds:
        connection.execute(MonitorHourCount.__table__.insert(), [
            {"model": model, "name": name, "slot": hour, **added}
            for (model, name, hour), added in sorted(folds.items())])
