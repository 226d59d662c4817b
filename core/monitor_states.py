"""Keep each model's monitors' hysteresis state, last result, history and the checks' schedule.

Every state, result and past check belongs to one (model, monitor): one model's red
monitor never fires or resolves another's. `model` defaults to the first model (the one
of every release before models were keyed).
"""

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
from core.tables import FIRST_MODEL, insert_for

FIELDS = ("firing", "breaches", "clears", "level")
SCHEDULE = "monitors"
KEEP = timedelta(days=30)  # the trends look back 30 days
MOST_PER_MONITOR = 50_000  # 30 days of checks a minute is 43,200; a short interval hits this


def load(sessions, *, model: str = FIRST_MODEL) -> dict[str, dict]:
    """Return {monitor name: state fields} for every monitor of `model` checked before."""
    with sessions() as session:
        rows = session.query(MonitorStateRecord).filter_by(model=model).all()
        return {row.name: {f: getattr(row, f) for f in FIELDS} for row in rows}


def save(sessions, states: dict[str, dict], *, model: str = FIRST_MODEL) -> None:
    """Write the given monitors' states of `model` in one transaction (insert or update)."""
    now = utcnow()
    _upsert(sessions, MonitorStateRecord, [{"model": model, "name": name, "updated_at": now,
                                            **{f: state[f] for f in FIELDS}}
                                           for name, state in states.items()])


def save_results(sessions, results: dict[str, dict], *, now: datetime,
                 model: str = FIRST_MODEL) -> None:
    """Keep each monitor's last result (JSON) of `model` and when it was checked."""
    _upsert(sessions, MonitorResultRecord, [{"model": model, "name": name, "result": result,
                                             "checked_at": now}
                                            for name, result in results.items()])


def _upsert(sessions, table, rows: list[dict]) -> None:
    """Insert rows keyed by model and name, or update those there.

    Two checkers at once (a scheduled run and `medic monitor run`) both succeed; the later
    one's values are kept.
    """
    if not rows:
        return
    with sessions.begin() as session:
        statement = insert_for(session, table).values(rows)
        updated = {c: statement.excluded[c] for c in rows[0] if c not in ("model", "name")}
        session.execute(statement.on_conflict_do_update(index_elements=["model", "name"],
                                                        set_=updated))


def load_results(sessions, *, model: str = FIRST_MODEL) -> dict[str, tuple[dict, datetime]]:
    """Return {monitor name: (last result, checked at)} of `model`'s monitors."""
    with sessions() as session:
        return {row.name: (row.result, row.checked_at)
                for row in session.query(MonitorResultRecord).filter_by(model=model).all()}


def models(sessions) -> list[str]:
    """Return the models whose monitors have been checked, sorted."""
    with sessions() as session:
        return sorted(session.scalars(select(MonitorResultRecord.model).distinct()))


def append_history(sessions, checks: list[dict], *, now: datetime, keep: timedelta = KEEP,
                   most: int = MOST_PER_MONITOR, model: str = FIRST_MODEL) -> None:
    """Add `model`'s checks ({name, state, value, points}) at `now`; drop old or surplus ones.

    Each check is also summed into its model's hour (`core.monitor_counts`), which the day
    and week plots read.
    """
    kept = MonitorHistoryRecord
    with sessions.begin() as session:
        session.add_all(kept(checked_at=now, model=model, **check) for check in checks)
        session.flush()
        monitor_counts.record(session, [{**check, "model": model} for check in checks],
                              now=now, keep=keep)
        session.execute(delete(kept).where(kept.checked_at < now - keep))
        for name in {check["name"] for check in checks}:
            oldest_kept = session.scalar(
                select(kept.checked_at).where(kept.model == model, kept.name == name)
                .order_by(kept.checked_at.desc()).offset(most - 1).limit(1))
            if oldest_kept is not None:
                session.execute(delete(kept).where(
                    kept.model == model, kept.name == name, kept.checked_at < oldest_kept))


def load_history(sessions, names: list[str], *, since: datetime,
                 model: str = FIRST_MODEL) -> list:
    """Return `model`'s named monitors' checks since `since`, oldest first, as plain rows."""
    kept = MonitorHistoryRecord
    with sessions() as session:
        return list(session.execute(
            select(kept.name, kept.checked_at, kept.state, kept.value, kept.points)
            .where(kept.model == model, kept.name.in_(names), kept.checked_at >= since)
            .order_by(kept.checked_at)))


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
