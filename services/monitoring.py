"""Turn the monitors' history and the prediction log into the series the console plots."""

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from core import monitor_states, rollup
from core.errors import DataError
from ml.monitoring import definitions
from ml.monitoring.results import MonitorResult
from services import monitor_incidents, watched
from services.context import Medic
from services.views import (
    DriftSeries,
    F1Series,
    ModelMonitors,
    MonitoringView,
    MonitorNow,
    TrafficSeries,
    ValueSeries,
)

BUCKETS = 24
PERIODS = (6, 24, 168, 720)  # hours a reader may look back: up to the 30 days kept


def series(medic: Medic, *, hours: int = 24, model: str | None = None) -> MonitoringView:
    """Return drift per feature, F1 real and estimated, volume and class share, per bucket.

    The monitors are `model`'s (default: the default model's; an unknown name is NotFound);
    volume, class share and real F1 come from the log's per-slot counts, which are not
    kept per model yet.

    The period (1 hour to 30 days) is cut into 24 buckets ending at the current one. Which
    monitor feeds which chart is its kind's `chart`; a kind charting its own "value" gets
    a line of its own.
    """
    if not 1 <= hours <= max(PERIODS):
        raise DataError(f"look back 1 to {max(PERIODS)} hours, not {hours}")
    model = watched.checked(medic, model)
    width = hours * 3600 // BUCKETS
    now = medic.clock()
    start = (int(now.timestamp()) // width - BUCKETS + 1) * width  # the last bucket holds now
    since = datetime.fromtimestamp(start, UTC)
    monitors = _enabled(Path(medic.settings.monitors_config))
    drift = next((m for m in monitors if m.declared.chart == "drift"), None)
    estimated = next((m for m in monitors if m.declared.chart == "estimate"), None)
    drawn = [m for m in monitors if m.declared.chart == "value"]
    names = [m.name for m in (drift, estimated, *drawn) if m is not None]
    checks = monitor_states.load_history(medic.sessions, names, since=since, model=model)
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
        values=[_value(m, [(bucket(c), c.value) for c in checks if c.name == m.name
                           and c.value is not None]) for m in drawn],
        monitors=latest(medic.sessions, model=model))


def _value(definition, values: list[tuple[int, float]]) -> ValueSeries:
    """Return a monitor's own value per bucket (for kinds whose chart is "value")."""
    return ValueSeries(monitor=definition.name, kind=definition.kind,
                       value_name=definition.declared.value_name_of(definition),
                       values=_means(values), warning=definition.warning,
                       critical=definition.critical, checks=len(values))


def _drift(definition, checks: list[tuple[int, object]]) -> DriftSeries:
    if definition is None:
        return DriftSeries(monitor=None)
    cells: dict[str, tuple[list[float], list[int]]] = {}  # feature -> sums, counts per bucket
    for b, check in checks:  # one pass: a week of checks a minute is 10,080 of them
        for key, value in check.points.items():
            if key.startswith("drifted:"):
                sums, counts = cells.setdefault(key.removeprefix("drifted:"),
                                                ([0.0] * BUCKETS, [0] * BUCKETS))
                if 0 <= b < BUCKETS:
                    sums[b] += value
                    counts[b] += 1
    return DriftSeries(monitor=definition.name, features=list(cells),
                       cells=[[s / n if n else None for s, n in zip(*cell, strict=True)]
                              for cell in cells.values()],
                       share=_means([(b, c.value) for b, c in checks if c.value is not None]),
                       warning=definition.warning, critical=definition.critical,
                       checks=len(checks))


def _from_log(sessions, start: int, width: int) -> tuple[TrafficSeries, list, int]:
    """Count predictions and the positive class, and score labelled ones, per bucket.

    Everything comes from the log's per-slot counts (`core/rollup.py`): a week is 20,160
    slots per model version, whatever the traffic. Labels count in their prediction's slot.
    """
    with sessions() as session:
        sums = rollup.buckets(session, start, width, BUCKETS)
    counts = [n for n, *_ in sums]
    positive = [ones / n if n else None for n, ones, *_ in sums]
    real = [2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else None
            for _n, _ones, tp, fp, fn, *_ in sums]
    labelled = sum(tp + fp + fn + tn for _n, _ones, tp, fp, fn, tn in sums)
    traffic = TrafficSeries(counts=counts, positive_share=positive, total=sum(counts))
    return traffic, real, labelled


def _enabled(path: Path) -> list:
    """Return the enabled monitors, parsing the YAML again only when the file changed."""
    try:
        stat = path.stat()
    except OSError:
        return definitions.load(path).enabled  # raises the ConfigError that names the file
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> list:
    return definitions.load(path).enabled


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


def latest(sessions, *, model: str) -> list[MonitorNow]:
    """Return each of `model`'s monitors' last check: state, value, rows, when, firing.

    A firing monitor names the incident its alert opened or joined (open, verifying, or
    closed while the monitor waits to resolve or fire anew).
    """
    kept = sorted(monitor_states.load_results(sessions, model=model).items())
    firing = {name for name, fields in monitor_states.load(sessions, model=model).items()
              if fields["firing"]}
    incidents = {}
    if firing:
        incidents = monitor_incidents.newest(
            sessions, [MonitorResult.model_validate(result) for name, (result, _at) in kept
                       if name in firing], model)
    return [MonitorNow(name=name, model=model, kind=result["kind"], state=result["state"],
                       value=result["value"], value_name=result["value_name"],
                       rows=result["rows"], checked_at=at.isoformat(), note=result["note"],
                       firing=name in firing,
                       incident=incidents.get(name, {}).get("id") if name in firing else None,
                       incident_state=incidents.get(name, {}).get("state")
                       if name in firing else None)
            for name, (result, at) in kept]


def status(medic: Medic, *, model: str | None = None) -> list[ModelMonitors]:
    """Return each model's monitors' last checks, grouped by model (or `model`'s alone).

    Without a name: every model whose monitors have been checked, and the default model
    even before its first check. An unknown name is NotFound listing the known ones.
    """
    if model is not None:
        names = [watched.checked(medic, model)]
    else:
        names = sorted({*monitor_states.models(medic.sessions), medic.settings.default_model})
    return [ModelMonitors(model=name, default=name == medic.settings.default_model,
                          monitors=latest(medic.sessions, model=name)) for name in names]
