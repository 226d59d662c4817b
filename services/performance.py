"""One model's live performance in its task's terms, for the console's Performance page.

A period against the one before and the champion's training baseline, latency, errors by
kind, 30 days of the main metric, and the agent's recent actions on the model.

Everything is read in SQL from the log's per-slot counts (`core/rollup.py`), bounded
whatever the log holds, over every prediction and label of the period:

- a classifier's confusion matrix, accuracy, F1, and a regressor's MAE, RMSE and R² (and
  their 30-day trends) from the label counts and error sums: exact;
- a classifier's ROC-AUC from its labelled scores counted in bins of 0.005
  (`core/histograms.py`): the exact ROC-AUC is within the bound the same counts give,
  shown with it;
- the answer times' percentiles from their histogram (buckets 2% wide): each within 1%;
- a regressor's predicted-vs-actual points are the period's newest `POINTS` labelled rows.

A period ends at the end of the current 30-second slot and starts `hours` before, so it is
whole slots, read as whole days and hours and the slots at its ends; the previous period is
the same length just before. Labels count with their prediction's time, as on Monitoring.
"""

from datetime import UTC, datetime

from sqlalchemy import select

from core import histograms, rollup
from core.errors import DataError
from core.plans import PlannedAction
from core.tables import (
    ActionRun,
    Approval,
    Feedback,
    Incident,
    LatencyCount,
    Prediction,
    ScoreCount,
)
from ml import spec as specs
from services import watched
from services.context import Medic
from services.views import (
    ActionDone,
    Confusion,
    LatencyTile,
    MetricTile,
    MetricTrend,
    PerformanceView,
    PredictedActual,
)

PERIODS = (24, 168, 720)  # hours the console offers: a day, a week, 30 days
TILES = {"binary_classification": ("accuracy", "f1", "roc_auc"),
         "regression": ("mae", "rmse", "r2")}
FROM_COUNTS = ("accuracy", "f1", "precision", "recall")  # a classifier's, from tp/fp/fn/tn
TREND_DAYS = 30
POINTS = 400  # newest labelled rows drawn as predicted vs actual
ACTIONS = 20
DAY = 86_400


def performance(medic: Medic, *, model: str | None = None, hours: int = 24) -> PerformanceView:
    """Return `model`'s live performance over the last `hours` (1 to 720) and before.

    `model` defaults to the default model; an unknown name is NotFound listing the known ones.
    """
    if not 1 <= hours <= TREND_DAYS * 24:
        raise DataError(f"look back 1 to {TREND_DAYS * 24} hours, not {hours}")
    model = watched.checked(medic, model)
    spec = specs.of(medic.settings, model)
    now = medic.clock()
    end = rollup.slot(now) + rollup.SLOT
    start, before = end - hours * 3600, end - 2 * hours * 3600
    champion, recorded = _champion(medic, spec)
    notes: list[str] = []
    classifier = spec.task != "regression"
    within: dict[str, float] = {}
    with medic.sessions() as session:
        then_times, times = rollup.histogram(session, LatencyCount, before, start, end,
                                             model=model)
        if classifier:
            then_scores, scores = rollup.histogram(session, ScoreCount, before, start, end,
                                                   model=model)
            now_counts, then_counts = _confusion(scores), _confusion(then_scores)
            auc, old_auc = histograms.auc(_bins(scores)), histograms.auc(_bins(then_scores))
            values = _from_counts(now_counts) | {"roc_auc": auc and auc[0]}
            old = _from_counts(then_counts) | {"roc_auc": old_auc and old_auc[0]}
            within = {"roc_auc": auc[1]} if auc else {}
            labelled, previous_labelled = sum(now_counts.values()), sum(then_counts.values())
            confusion, pairs = Confusion(**now_counts), None
            notes += _auc_note(auc, old_auc)
        else:
            earlier_sums, sums = rollup.errors(session, before, hours * 3600, 2, model=model)
            (labelled, values), (previous_labelled, old) = _regression(sums), \
                _regression(earlier_sums)
            confusion, pairs = None, _pairs(session, model, start, end)
        latency = _latency(times, then_times)
        trend = _trend(session, spec, now, notes)
    with medic.sessions() as session:
        actions = _actions(session, model)
    metrics = [MetricTile(name=name, value=values.get(name), previous=old.get(name),
                          change=_change(values.get(name), old.get(name)),
                          baseline=recorded.get(f"test_{name}"),
                          higher_is_better=specs.higher_is_better(name),
                          within=within.get(name))
               for name in TILES[spec.task]]
    if champion is None:
        notes.append("No champion is recorded for this model: no training baseline to "
                     "compare with.")
    else:
        missing = [m.name for m in metrics if m.baseline is None]
        if missing:
            notes.append(f"Version {champion}'s registry record holds no held-out "
                         f"{', '.join(missing)}: no baseline to compare with there.")
    notes.append("Latency is the time the API took to answer, as the log recorded it; the "
                 "rows of a batch carry the whole batch's time. Its percentiles are read from "
                 "a histogram of every logged answer time, in buckets 2% wide: each is "
                 f"within {histograms.LATENCY_BOUND:.0%} of the exact one "
                 f"(answers under {histograms.FASTEST} ms count as {histograms.FASTEST / 2} ms).")
    if medic.settings.prediction_retention_days < TREND_DAYS:
        notes.append(f"The prediction log keeps {medic.settings.prediction_retention_days} "
                     "days (MEDIC_PREDICTION_RETENTION_DAYS): older days of the trend are "
                     "empty.")
    return PerformanceView(
        model=model, task=spec.task, hours=hours, start=_at(start).isoformat(),
        end=_at(end).isoformat(), champion=champion, labelled=labelled,
        previous_labelled=previous_labelled, metrics=metrics, latency=latency,
        confusion=confusion, pairs=pairs, trend=trend, actions=actions, notes=notes)


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _champion(medic: Medic, spec: specs.ModelSpec) -> tuple[str | None, dict[str, float]]:
    """Return the champion and its metrics as Medic recorded them (`model_facts`)."""
    found = next((v for v in watched.registry_of(medic, spec.name, spec).recorded_versions()
                  if "champion" in v.aliases), None)
    return (found.version, dict(found.metrics)) if found else (None, {})


def _confusion(scores: dict[tuple[int, int], tuple[int, int]]) -> dict[str, int]:
    """Return tp, fp, fn and tn of labelled scores counted by (bin, class answered)."""
    cells = dict.fromkeys(rollup.CELLS.values(), 0)
    for (_bin, predicted), (positives, negatives) in scores.items():
        for true, n in ((1, positives), (0, negatives)):
            kind = rollup.CELLS.get((predicted, true))
            if kind is not None:
                cells[kind] += n
    return cells


def _bins(scores: dict[tuple[int, int], tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """Return (positives, negatives) per score bin, whatever class was answered."""
    bins: dict[int, tuple[int, int]] = {}
    for (found, _predicted), (positives, negatives) in scores.items():
        held = bins.get(found, (0, 0))
        bins[found] = (held[0] + positives, held[1] + negatives)
    return bins


def _from_counts(cells: dict[str, int]) -> dict[str, float | None]:
    """Return accuracy, F1, precision and recall of a confusion matrix (None: undefined)."""
    tp, fp, fn, tn = cells["tp"], cells["fp"], cells["fn"], cells["tn"]
    total = tp + fp + fn + tn

    def ratio(top: int, bottom: int) -> float | None:
        return top / bottom if bottom else None

    return {"accuracy": ratio(tp + tn, total), "f1": ratio(2 * tp, 2 * tp + fp + fn),
            "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn)}


def _latency(times: dict[int, int], then: dict[int, int]) -> LatencyTile:
    """Return the answer times' p50, p95 and p99 (ms) from the histograms of both periods.

    Every logged prediction counts once in the histogram: its total is the period's volume.
    """
    cut, logged = histograms.percentile, sum(times.values())
    return LatencyTile(p50_ms=cut(times, 50), p95_ms=cut(times, 95), p99_ms=cut(times, 99),
                       previous_p50_ms=cut(then, 50), previous_p95_ms=cut(then, 95),
                       previous_p99_ms=cut(then, 99), logged=logged)


def _auc_note(auc: tuple[float, float] | None, old: tuple[float, float] | None) -> list[str]:
    """Say how close the binned ROC-AUC is to the exact one, where there is one."""
    bounds = [f"±{found[1]:.4f} {which}" for found, which in ((auc, "this period"),
                                                              (old, "the period before"))
              if found is not None]
    if not bounds:
        return []
    return [f"ROC-AUC is read from every label's score counted in bins of "
            f"{1 / histograms.BINS:g} (a positive and a negative in one bin count as half a "
            f"pair ranked right): the exact ROC-AUC over the same labels is within "
            f"{' and '.join(bounds)} of the figure shown."]


def _scores(n, absolute, squared, total, squares) -> dict[str, float | None]:
    """Return MAE, RMSE and R² from the sums (R² None: fewer than 2 rows, or one value)."""
    if not n:
        return {}
    spread = float(squares) - float(total) ** 2 / n  # the truth's sum of squared deviations
    return {"mae": float(absolute) / n, "rmse": (float(squared) / n) ** 0.5,
            "r2": 1 - float(squared) / spread if n > 1 and spread > 1e-9 * n else None}


def _regression(sums: list[float]) -> tuple[int, dict[str, float | None]]:
    """Return how many labels, and their MAE, RMSE and R², from a bucket's error sums."""
    return int(sums[0]), _scores(*sums)


def _pairs(session, model: str, start: int, end: int) -> PredictedActual:
    """Return the period's newest labelled predictions: predicted against actual."""
    rows = session.execute(
        select(Prediction.probability, Feedback.label)
        .join(Feedback, Feedback.request_id == Prediction.request_id)
        .where(Prediction.model == model, Prediction.created_at >= _at(start),
               Prediction.created_at < _at(end))
        .order_by(Prediction.created_at.desc()).limit(POINTS)).all()
    return PredictedActual(predicted=[float(p) for p, _ in rows],
                           actual=[float(a) for _, a in rows])


def _trend(session, spec: specs.ModelSpec, now: datetime, notes: list[str]) -> MetricTrend:
    """Return the task's main metric per UTC day over the last 30 days (today last)."""
    metric = spec.monitoring.performance.metric
    today = rollup.slot(now) // DAY * DAY
    first = today - (TREND_DAYS - 1) * DAY
    days = [f"{_at(first + i * DAY):%m-%d}" for i in range(TREND_DAYS)]
    if spec.task != "regression":
        cells = rollup.confusions(session, first, DAY, TREND_DAYS, model=spec.name)
        if metric not in FROM_COUNTS:
            notes.append(f"The trend shows F1: {metric} per day is not kept.")
            metric = "f1"
        return MetricTrend(metric=metric, days=days,
                           values=[_from_counts(c)[metric] for c in cells],
                           labelled=[sum(c.values()) for c in cells])
    per_day = rollup.errors(session, first, DAY, TREND_DAYS, model=spec.name)
    return MetricTrend(metric=metric, days=days,
                       values=[_regression(sums)[1].get(metric) for sums in per_day],
                       labelled=[int(sums[0]) for sums in per_day])


def _actions(session, model: str) -> list[ActionDone]:
    """Return the newest actions the agent ran on `model`, with who approved each."""
    runs = session.execute(
        select(ActionRun, Incident.title).join(Incident, Incident.id == ActionRun.incident_id)
        .where(ActionRun.model == model)
        .order_by(ActionRun.started_at.desc(), ActionRun.id.desc()).limit(ACTIONS)).all()
    approvals = session.scalars(select(Approval).where(
        Approval.incident_id.in_({run.incident_id for run, _ in runs}),
        Approval.status == "approved")).all() if runs else []
    shown = []
    for run, title in runs:
        names = [name for a in approvals if a.incident_id == run.incident_id
                 and run.tool in {step.tool for step in PlannedAction.all(a.actions)}
                 for name in (a.approved_by or [a.decided_by]) if name]
        shown.append(ActionDone(incident_id=run.incident_id, incident=title, tool=run.tool,
                                status=run.status, started_at=run.started_at.isoformat(),
                                approved_by=list(dict.fromkeys(names))))
    return shown


def _change(value: float | None, previous: float | None) -> float | None:
    return value - previous if value is not None and previous is not None else None
