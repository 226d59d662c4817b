"""Collect the facts a model-health report shows for a period, as one plain dict."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, select

from core.errors import DataError
from core.incidents import summary
from core.monitor_tables import MonitorHistoryRecord
from core.tables import ActionRun, Feedback, Incident, Prediction, RegistryEvent
from ml import spec

UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """Turn `7d`, `24h`, `90m` or `2w` into the moment that long before now."""
    found = re.fullmatch(r"\s*(\d{1,4})\s*([mhdw])\s*", text or "")
    if found is None or int(found[1]) == 0:
        raise DataError(f"period {text!r} must look like 7d, 24h, 90m or 2w")
    return (now or datetime.now(UTC)) - timedelta(**{UNITS[found[2]]: int(found[1])})


def collect(sessions, *, since: datetime, until: datetime | None = None) -> dict:
    """Return traffic, class share, F1 from feedback, incidents, actions and champion moves."""
    until = until or datetime.now(UTC)
    hourly = until - since <= timedelta(days=8)  # a week (plus slack) in hours
    with sessions() as session:
        bucket = _bucket(session.bind.dialect.name, Prediction.created_at, hourly)
        period = Prediction.created_at.between(since, until) & (  # the default model's
            Prediction.model == spec.default().name)
        traffic = dict(session.execute(select(bucket, func.count()).where(period)
                                       .group_by(bucket)).all())
        classes = dict(session.execute(select(Prediction.label, func.count()).where(period)
                                       .group_by(Prediction.label)).all())
        versions = dict(session.execute(select(Prediction.model_version, func.count())
                                        .where(period).group_by(Prediction.model_version)).all())
        hits = (session.execute(_confusion(bucket).where(period).group_by(bucket)).all())
        opened = list(session.scalars(select(Incident).where(
            Incident.first_seen.between(since, until)).order_by(Incident.id)))
        actions = list(session.scalars(select(ActionRun).where(
            ActionRun.started_at.between(since, until)).order_by(ActionRun.id)))
        checks = session.execute(_monitor_checks().where(
            MonitorHistoryRecord.checked_at.between(since, until))
            .group_by(MonitorHistoryRecord.name).order_by(MonitorHistoryRecord.name)).all()
        moves = list(session.scalars(select(RegistryEvent).where(
            RegistryEvent.at.between(since, until)).order_by(RegistryEvent.id)))
    labels = _buckets(since, until, hourly)
    f1 = {row.bucket: (2 * row.tp / (2 * row.tp + row.fp + row.fn), row.n)
          for row in hits if row.n and 2 * row.tp + row.fp + row.fn}
    return {
        "generated_at": f"{until:%Y-%m-%d %H:%M:%S}",
        "since": f"{since:%Y-%m-%d %H:%M}", "until": f"{until:%Y-%m-%d %H:%M}",
        "bucket": "hour" if hourly else "day",
        "traffic": {"labels": labels, "counts": [traffic.get(b, 0) for b in labels],
                    "total": sum(traffic.values())},
        "classes": {str(label): count for label, count in sorted(classes.items())},
        "versions": dict(sorted(versions.items())),
        "f1": {"labels": labels, "values": [f1[b][0] if b in f1 else None for b in labels],
               "labelled": sum(n for _, n in f1.values())},
        "incidents": [summary(i) for i in opened],
        "states": _count(i.state for i in opened),
        "actions": [{"incident_id": a.incident_id, "tool": a.tool, "status": a.status,
                     "effective": a.effective, "at": f"{a.started_at:%Y-%m-%d %H:%M}"}
                    for a in actions],
        "champion_changes": [{"at": f"{e.at:%Y-%m-%d %H:%M}", "action": e.action,
                              "alias": e.alias, "version": e.version, "replaced": e.replaced,
                              "actor": e.actor, "reason": e.reason} for e in moves],
        "monitors": [{"name": row.name, "checks": row.checks, "warning": row.warning or 0,
                      "critical": row.critical or 0, "highest": row.highest}
                     for row in checks],
    }


def _bucket(dialect: str, column, hourly: bool):
    """Return the SQL for a column's hour (or day) as text, `YYYY-MM-DD HH:00` in UTC."""
    if dialect == "postgresql":
        unit, shape = ("hour", "YYYY-MM-DD HH24:00") if hourly else ("day", "YYYY-MM-DD")
        return func.to_char(func.date_trunc(unit, func.timezone("UTC", column)),
                            shape).label("bucket")
    return func.strftime("%Y-%m-%d %H:00" if hourly else "%Y-%m-%d", column).label("bucket")


def _monitor_checks():
    """Count each monitor's checks, and those in warning or critical, with its highest value."""
    def counted(state):
        return func.sum(case((MonitorHistoryRecord.state == state, 1), else_=0))
    return select(MonitorHistoryRecord.name, func.count().label("checks"),
                  counted("warning").label("warning"), counted("critical").label("critical"),
                  func.max(MonitorHistoryRecord.value).label("highest"))


def _confusion(bucket):
    """Count labelled predictions and their true and false positives and negatives per bucket."""
    def hits(condition):
        return func.sum(case((condition, 1), else_=0))

    target = Feedback.label
    return (select(bucket, func.count().label("n"),
                   hits((Prediction.label == 1) & (target == 1)).label("tp"),
                   hits((Prediction.label == 1) & (target == 0)).label("fp"),
                   hits((Prediction.label == 0) & (target == 1)).label("fn"))
            .join(Feedback, Feedback.request_id == Prediction.request_id))


def _buckets(since: datetime, until: datetime, hourly: bool) -> list[str]:
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    start = since.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    if not hourly:
        start = start.replace(hour=0)
    shape = "%Y-%m-%d %H:00" if hourly else "%Y-%m-%d"
    out = []
    while start <= until:
        out.append(f"{start:{shape}}")
        start += step
    return out


def _count(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))
