"""Turn the monitors' history and the prediction log into the series the console plots."""

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from core import monitor_counts, monitor_states, rollup
from core.errors import DataError
from core.tables import FIRST_MODEL
from ml import spec as specs
from ml.monitoring import definitions
from ml.monitoring.results import MonitorResult
from services import watched
from services.context import Medic
from services.monitors import incidents as monitor_incidents
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

    Everything is `model`'s (default: the default model's; an unknown name is NotFound):
    its monitors, and the volume, class share and real F1 of its rows, from the log's
    per-slot counts.

    The period (1 hour to 30 days) is cut into 24 buckets ending at the current one. The
    monitors are those watching `model`, at its spec's levels. Which monitor feeds which
    chart is its kind's `chart`; a kind charting its own "value" gets a line of its own,
    and so does a regressor's performance (its MAE, RMSE or R²: no F1 to draw).
    """
    if not 1 <= hours <= max(PERIODS):
        raise DataError(f"look back 1 to {max(PERIODS)} hours, not {hours}")
    model = watched.checked(medic, model)
    spec = specs.of(medic.settings, model)
    regressor = spec.task == "regression"
    width = hours * 3600 // BUCKETS
    now = medic.clock()
    start = (int(now.timestamp()) // width - BUCKETS + 1) * width  # the last bucket holds now
    monitors = _enabled(Path(medic.settings.monitors_config)).for_model(spec).enabled
    drift = next((m for m in monitors if m.declared.chart == "drift"), None)
    estimated = next((m for m in monitors if m.declared.chart == "estimate"), None)
    drawn = [m for m in monitors if m.declared.chart == "value"
             or (regressor and m.kind == "performance")]
    names = [m.name for m in (drift, estimated, *drawn) if m is not None]
    folds = checks_per_bucket(medic.sessions, names, start, width, model=model)
    traffic, real, labelled = _from_log(medic.sessions, start, width, model=model)
    nothing = [monitor_counts.empty() for _ in range(BUCKETS)]

    def of(definition) -> list[dict]:
        return folds.get(definition.name, nothing) if definition else nothing

    f1 = F1Series(real=real, labelled=labelled,
                  estimated=_means(of(estimated), "judged", "estimated_f1"),
                  estimated_monitor=estimated.name if estimated else None)
    return MonitoringView(
        model=model, task=spec.task, hours=hours, bucket_minutes=width // 60,
        labels=_labels(start, width, hours),
        drift=_drift(drift, of(drift)), f1=f1, traffic=traffic,
        values=[_value(m, of(m)) for m in drawn],
        monitors=latest(medic.sessions, model=model))


def checks_per_bucket(sessions, names: list[str], start: int, width: int, *,
                      model: str = FIRST_MODEL) -> dict[str, list[dict]]:
    """Return, per monitor, its checks folded per bucket (`core.monitor_counts`).

    Buckets of whole hours (a day's or a week's) are read from the hourly sums; shorter
    ones from the checks themselves (at most a day of them).
    """
    if width % monitor_counts.SLOT == 0:
        with sessions() as session:
            return monitor_counts.buckets(session, names, start, width, BUCKETS, model=model)
    return from_history(sessions, names, start, width, model=model)


def from_history(sessions, names: list[str], start: int, width: int, *,
                 model: str = FIRST_MODEL) -> dict[str, list[dict]]:
    """Return, per monitor of `model`, its checks folded per bucket, reading every check."""
    folds: dict[str, list[dict]] = {}
    since = datetime.fromtimestamp(start, UTC)
    for check in monitor_states.load_history(sessions, names, since=since, model=model):
        at = int(check.checked_at.timestamp() - start) // width
        if 0 <= at < BUCKETS:
            monitor_counts.fold(folds.setdefault(check.name, [
                monitor_counts.empty() for _ in range(BUCKETS)])[at], check.state,
                check.value, check.points)
    return folds


def _value(definition, folds: list[dict]) -> ValueSeries:
    """Return a monitor's own value per bucket (for kinds whose chart is "value")."""
    return ValueSeries(monitor=definition.name, kind=definition.kind,
                       value_name=definition.declared.value_name_of(definition),
                       values=_means(folds), warning=definition.warning,
                       critical=definition.critical, checks=sum(f["valued"] for f in folds))


def _drift(definition, folds: list[dict]) -> DriftSeries:
    if definition is None:
        return DriftSeries(monitor=None)
    features = list(dict.fromkeys(key.removeprefix("drifted:") for fold in folds
                                  for key in fold["points"] if key.startswith("drifted:")))
    return DriftSeries(monitor=definition.name, features=features,
                       cells=[_means(folds, "points", f"drifted:{f}") for f in features],
                       share=_means(folds), warning=definition.warning,
                       critical=definition.critical, checks=sum(f["checks"] for f in folds))


def _from_log(sessions, start: int, width: int, *,
              model: str) -> tuple[TrafficSeries, list, int]:
    """Count `model`'s predictions and positive class, and score labelled ones, per bucket.

    Everything comes from the log's per-slot counts (`core/rollup.py`): a week is 20,160
    slots per model version, whatever the traffic. Labels count in their prediction's slot.
    """
    with sessions() as session:
        sums = rollup.buckets(session, start, width, BUCKETS, model=model)
    counts = [n for n, *_ in sums]
    positive = [ones / n if n else None for n, ones, *_ in sums]
    real = [2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else None
            for _n, _ones, tp, fp, fn, *_ in sums]
    labelled = sum(tp + fp + fn + tn for _n, _ones, tp, fp, fn, tn in sums)
    traffic = TrafficSeries(counts=counts, positive_share=positive, total=sum(counts))
    return traffic, real, labelled


def _enabled(path: Path) -> definitions.MonitorDefinitions:
    """Return the enabled monitors, parsing the YAML again only when the file changed."""
    try:
        stat = path.stat()
    except OSError:
        return definitions.load(path)  # raises the ConfigError that names the file
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> definitions.MonitorDefinitions:
    loaded = definitions.load(path)
    return definitions.MonitorDefinitions(monitors=loaded.enabled)


def _means(folds: list[dict], part: str | None = None,
           key: str = "") -> list[float | None]:
    """Average per bucket the checks' value, or one point of theirs; None where none fell."""
    if part is None:
        return [f["value_sum"] / f["valued"] if f["valued"] else None for f in folds]
    cells = [f[part].get(key) for f in folds]
    return [cell[0] / cell[1] if cell and cell[1] else None for cell in cells]


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
