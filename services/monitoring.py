"""Turn the monitors' history and the prediction log into the series the console plots."""

from datetime import UTC, datetime

from sqlalchemy import Integer, case, cast, func, select

from core import monitor_states
from core.errors import DataError
from core.tables import Feedback, Prediction
from ml.monitoring import definitions
from ml.monitoring.results import MonitorResult
from services import monitor_incidents
from services.context import Medic
from services.views import DriftSeries, F1Series, MonitoringView, MonitorNow, TrafficSeries

BUCKETS = 24
PERIODS = (6, 24, 168)  # hours a reader may look back


def series(medic: Medic, *, hours: int = 24) -> MonitoringView:
    """Return drift per feature, F1 real and estimated, volume and class share, per bucket.

    The period (1 hour to a week) is cut into 24 buckets ending at the current one.
    """
    if not 1 <= hours <= max(PERIODS):
        raise DataError(f"look back 1 to {max(PERIODS)} hours, not {hours}")
    width = hours * 3600 // BUCKETS
    now = medic.clock()
    start = (int(now.timestamp()) // width - BUCKETS + 1) * width  # the last bucket holds now
    since = datetime.fromtimestamp(start, UTC)
    monitors = definitions.load(medic.settings.monitors_config).enabled
    drift = next((m for m in monitors if m.kind == "data_drift"), None)
    estimated = next((m for m in monitors if m.kind == "estimated_performance"), None)
    names = [m.name for m in (drift, estimated) if m is not None]
    checks = monitor_states.load_history(medic.sessions, names, since=since)
    traffic, real, labelled = _from_log(medic.sessions, start, width)

    def bucket(check) -> int:
        return int(check.checked_at.timestamp() - start) // width

    drift_checks = [(bucket(c), c) for c in checks if drift and c.name == drift.name]
    estimates = [(bucket(c), c.points["estimated_f1"]) for c in checks
                 if estimated and c.name == estimated.name and c.state != "insufficient_data"
                 and "estimated_f1" in c.points]
    f1 = F1Series(real=real, labelled=labelled, estimated=_means(estimates),
                  estimated_monitor=estimated.name if estimated else None)
    return MonitoringView(
        hours=hours, bucket_minutes=width // 60, labels=_labels(start, width, hours),
        drift=_drift(drift, drift_checks), f1=f1, traffic=traffic,
        monitors=latest(medic.sessions, model=medic.registry.name))


def _drift(definition, checks: list[tuple[int, object]]) -> DriftSeries:
    if definition is None:
        return DriftSeries(monitor=None)
    features = list(dict.fromkeys(k.removeprefix("drifted:") for _, c in checks
                                  for k in c.points if k.startswith("drifted:")))
    cells = [_means([(b, c.points[f"drifted:{f}"]) for b, c in checks
                     if f"drifted:{f}" in c.points]) for f in features]
    return DriftSeries(monitor=definition.name, features=features, cells=cells,
                       share=_means([(b, c.value) for b, c in checks if c.value is not None]),
                       warning=definition.warning, critical=definition.critical,
                       checks=len(checks))


def _from_log(sessions, start: int, width: int) -> tuple[TrafficSeries, list, int]:
    """Count predictions and the positive class, and score labelled ones, per bucket.

    The counts read the (created_at, label) index only. The scores start from the labels:
    a label comes after its prediction, so those received since the start are enough.
    """
    def hits(condition):
        return func.sum(case((condition, 1), else_=0))

    since = datetime.fromtimestamp(start, UTC)
    predicted, truth = Prediction.label, Feedback.label
    edges = [datetime.fromtimestamp(start + i * width, UTC) for i in range(BUCKETS + 1)]
    with sessions() as session:
        # One range count per bucket: each is a scan of the (created_at, label) index, with
        # no function of the timestamp computed per row (2-3x faster than one GROUP BY).
        counted = [(b, *session.execute(
            select(func.count(), func.sum(predicted)).where(
                Prediction.created_at >= edges[b], Prediction.created_at < edges[b + 1])).one())
            for b in range(BUCKETS)]
        bucket = _bucket(session.bind.dialect.name, Prediction.created_at, start, width)
        scored = session.execute(
            select(bucket, func.count(), hits((predicted == 1) & (truth == 1)),
                   hits((predicted == 1) & (truth == 0)), hits((predicted == 0) & (truth == 1)))
            .select_from(Feedback)
            .join(Prediction, Prediction.request_id == Feedback.request_id)
            .where(Feedback.received_at >= since).group_by(bucket)).all()
    counts, positive, real = [0] * BUCKETS, [None] * BUCKETS, [None] * BUCKETS
    for b, n, ones in counted:
        if n:
            counts[b], positive[b] = n, (ones or 0) / n
    scored = [row for row in scored if row[0] >= 0]  # labelled lately, predicted before
    for b, _n, tp, fp, fn in scored:
        if 2 * tp + fp + fn:
            real[int(b)] = 2 * tp / (2 * tp + fp + fn)
    traffic = TrafficSeries(counts=counts, positive_share=positive, total=sum(counts))
    return traffic, real, sum(row[1] for row in scored)


def _bucket(dialect: str, column, start: int, width: int):
    """Return the SQL for which bucket of `width` seconds from `start` a timestamp falls in."""
    if dialect == "postgresql":
        return func.floor((func.extract("epoch", column) - start) / width).label("bucket")
    return ((cast(func.strftime("%s", column), Integer) - start) // width).label("bucket")


def _means(pairs: list[tuple[int, float]]) -> list[float | None]:
    """Average the values falling in each bucket; None where none fell."""
    sums, counts = [0.0] * BUCKETS, [0] * BUCKETS
    for b, value in pairs:
        if 0 <= b < BUCKETS:
            sums[b] += value
            counts[b] += 1
    return [s / n if n else None for s, n in zip(sums, counts, strict=True)]


def _labels(start: int, width: int, hours: int) -> list[str]:
    shape = "%m-%d %H:%M" if hours > 24 else "%H:%M"
    return [f"{datetime.fromtimestamp(start + i * width, UTC):{shape}}" for i in range(BUCKETS)]


def latest(sessions, *, model: str | None = None) -> list[MonitorNow]:
    """Return each monitor's last check: state, value, rows, when, and whether it is firing.

    With the `model` name, a firing monitor names the incident its alert opened or joined
    (open, verifying, or closed while the monitor waits to resolve or fire anew).
    """
    kept = sorted(monitor_states.load_results(sessions).items())
    firing = {name for name, fields in monitor_states.load(sessions).items()
              if fields["firing"]}
    incidents = {}
    if model is not None and firing:
        incidents = monitor_incidents.newest(
            sessions, [MonitorResult.model_validate(result) for name, (result, _at) in kept
                       if name in firing], model)
    return [MonitorNow(name=name, kind=result["kind"], state=result["state"],
                       value=result["value"], value_name=result["value_name"],
                       rows=result["rows"], checked_at=at.isoformat(), note=result["note"],
                       firing=name in firing,
                       incident=incidents.get(name, {}).get("id") if name in firing else None,
                       incident_state=incidents.get(name, {}).get("state")
                       if name in firing else None)
            for name, (result, at) in kept]

