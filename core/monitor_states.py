"""Keep each monitor's hysteresis state, last result, recent history and the checks' schedule."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from core import monitor_counts
from core.clock import utcnow
from core.monitor_tables import (
    MonitorHistoryRecord,
    MonitorResultRecord,
    MonitorSchedule,
    MonitorStateRecord,
)

FIELDS = ("firing", "breaches", "clears", "level")
SCHEDULE = "monitors"
KEEP = timedelta(days=7)  # the console plots a week at most
MOST_PER_MONITOR = 20_000  # a week of checks a minute is 10,080; a short interval hits this


def load(sessions) -> dict[str, dict]:
    """Return {monitor name: state fields} for every monitor checked before."""
    with sessions() as session:
        rows = session.query(MonitorStateRecord).all()
        return {row.name: {f: getattr(row, f) for f in FIELDS} for row in rows}


def save(sessions, states: dict[str, dict]) -> None:
    """Write the given monitors' states in one transaction (insert or update)."""
    now = utcnow()
    _upsert(sessions, MonitorStateRecord, [{"name": name, "updated_at": now,
                                            **{f: state[f] for f in FIELDS}}
                                           for name, state in states.items()])


def save_results(sessions, results: dict[str, dict], *, now: datetime) -> None:
    """Keep each monitor's last result (JSON) and when it was checked."""
    _upsert(sessions, MonitorResultRecord, [{"name": name, "result": result, "checked_at": now}
                                            for name, result in results.items()])


def _upsert(sessions, table, rows: list[dict]) -> None:
    """Insert rows keyed by name, or update those there.

    Two checkers at once (a scheduled run and `medic monitor run`) both succeed; the later
    one's values are kept.
    """
    if not rows:
        return
    with sessions.begin() as session:
        dialect = session.bind.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).values(rows)
        updated = {c: statement.excluded[c] for c in rows[0] if c != "name"}
        session.execute(statement.on_conflict_do_update(index_elements=["name"], set_=updated))


def load_results(sessions) -> dict[str, tuple[dict, datetime]]:
    """Return {monitor name: (last result, checked at)}."""
    with sessions() as session:
        return {row.name: (row.result, row.checked_at)
                for row in session.query(MonitorResultRecord).all()}


def append_history(sessions, checks: list[dict], *, now: datetime, keep: timedelta = KEEP,
                   most: int = MOST_PER_MONITOR) -> None:
    """Add checks ({name, state, value, points}) at `now`; drop those too old or too many.

    Each check is also summed into its hour (`core.monitor_counts`), which the day and
    week plots read.
    """
    with sessions.begin() as session:
        session.add_all(MonitorHistoryRecord(checked_at=now, **check) for check in checks)
        session.flush()
        monitor_counts.record(session, checks, now=now, keep=keep)
        session.execute(delete(MonitorHistoryRecord)
                        .where(MonitorHistoryRecord.checked_at < now - keep))
        for name in {check["name"] for check in checks}:
            oldest_kept = session.scalar(
                select(MonitorHistoryRecord.checked_at).where(MonitorHistoryRecord.name == name)
                .order_by(MonitorHistoryRecord.checked_at.desc()).offset(most - 1).limit(1))
            if oldest_kept is not None:
                session.execute(delete(MonitorHistoryRecord).where(
                    MonitorHistoryRecord.name == name,
                    MonitorHistoryRecord.checked_at < oldest_kept))


def load_history(sessions, names: list[str], *, since: datetime) -> list:
    """Return the named monitors' checks since `since`, oldest first, as plain rows."""
    kept = MonitorHistoryRecord
    with sessions() as session:
        return list(session.execute(
            select(kept.name, kept.checked_at, kept.state, kept.value, kept.points)
            .where(kept.name.in_(names), kept.checked_at >= since).order_by(kept.checked_at)))


def claim_run(sessions, *, now: datetime, interval_seconds: float,
              schedule: str = SCHEDULE) -> bool:
    """Take the schedule's next run if it is due; exactly one caller wins each interval."""
    following = now + timedelta(seconds=interval_seconds)
    with sessions.begin() as session:
        claimed = session.execute(
            update(MonitorSchedule)
            .where(MonitorSchedule.name == schedule, MonitorSchedule.next_run_at <= now)
            .values(next_run_at=following)).rowcount
        if claimed or session.get(MonitorSchedule, schedule) is not None:
            return bool(claimed)
    try:  # the very first run: whoever inserts the row holds it
        with sessions.begin() as session:
            session.add(MonitorSchedule(name=schedule, next_run_at=following))
        return True
    except IntegrityError:
        return False
