"""One model's live performance in its task's terms, for the console's Performance page.

A period against the one before and the champion's training baseline, latency, errors by
kind, 30 days of the main metric, and the agent's recent actions on the model.

Everything is read in SQL, bounded whatever the log holds:

- a classifier's confusion matrix, accuracy, F1, and a regressor's MAE, RMSE and R² (and
  their 30-day trends) come from the log's per-slot label counts and error sums
  (`core/rollup.py`): every labelled prediction, at the cost of the slots, not the rows;
- what needs rows — a classifier's ROC-AUC, the answer times' percentiles — is one
  statement reading both periods: every row of a period holding at most `SCAN_ROWS` logged
  predictions (the counts say how many it holds), and of a busier one an even sample,
  `SLICES` short stretches of time spread over it holding about `SCAN_ROWS`, each read on
  the log's (model, created_at) index; `notes` says so;
- a regressor's predicted-vs-actual points are the period's newest `POINTS` labelled rows.

A period ends at the end of the current 30-second slot and starts `hours` before, so the
counts' slots and the rows' times cut it at the same instants; the previous period is the
same length just before. Labels count with their prediction's time, as on Monitoring.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, null, or_, select, text

from core import rollup
from core.errors import DataError
from core.plans import PlannedAction
from core.tables import ActionRun, Approval, Feedback, Incident, Prediction
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

if TYPE_CHECKING:
    import numpy as np

PERIODS = (24, 168, 720)  # hours the console offers: a day, a week, 30 days
TILES = {"binary_classification": ("accuracy", "f1", "roc_auc"),
         "regression": ("mae", "rmse", "r2")}
FROM_COUNTS = ("accuracy", "f1", "precision", "recall")  # a classifier's, from tp/fp/fn/tn
TREND_DAYS = 30
SCAN_ROWS = 20_000  # most logged rows a period's row-level figures read; more: a sample
SLICES = 96  # stretches of time a sampled period is read in (each one more OR to plan)
POINTS = 400  # newest labelled rows drawn as predicted vs actual
ACTIONS = 20
DAY = 86_400


@dataclass(frozen=True)
class Span:
    """A stretch of the log: [start, end), how many rows it holds, the share of it read."""

    start: datetime
    end: datetime
    logged: int
    share: float | None = None  # None: every row; else the sampled share
    slices: int = SLICES

    @classmethod
    def of(cls, start: int, end: int, logged: int, most: int | None = None,
           slices: int = SLICES) -> "Span":
        """Return [start, end) (epoch s) holding `logged` rows; sampled past `most` of them."""
        most = SCAN_ROWS if most is None else most
        return cls(_at(start), _at(end), logged, most / logged if logged > most else None,
                   slices)

    def bounds(self) -> list[tuple[datetime, datetime]]:
        """Return the stretches [from, to) this span reads: itself, or its sample's."""
        if self.share is None:
            return [(self.start, self.end)]
        step = (self.end - self.start) / self.slices
        taken = step * self.share
        return [(self.start + step * i, self.start + step * i + taken)
                for i in range(self.slices)]


def _within(query, session, *spans: Span, array: bool = False):
    """Return `query` (over the log) restricted to the stretches `spans` read.

    With `array`, on PostgreSQL the stretches are one array joined to the log (each read on the
    (model, created_at) index, a day partition pruned as it runs): planning a sample's
    OR of a few hundred ranges over every partition costs more than reading it. JIT is
    off for the transaction: the planner, unable to tell the stretches are short, would
    compile the plan as if each held a whole period.
    """
    bounds = [b for span in spans for b in span.bounds()]
    at = Prediction.created_at
    if not array or session.get_bind().dialect.name != "postgresql" or len(bounds) <= 2:
        return query.where(or_(*(and_(at >= low, at < high) for low, high in bounds)))
    from sqlalchemy import DateTime, bindparam
    from sqlalchemy.dialects.postgresql import ARRAY

    session.execute(text("SET LOCAL jit = off"))
    times = ARRAY(DateTime(timezone=True))
    stretch = func.unnest(bindparam("lows", [low for low, _ in bounds], type_=times),
                          bindparam("highs", [high for _, high in bounds], type_=times)) \
        .table_valued("low", "high").render_derived(name="stretch")
    return query.join(stretch, and_(at >= stretch.c.low, at < stretch.c.high))


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
    champion, recorded = _champion(medic, model)
    notes: list[str] = []
    classifier = spec.task != "regression"
    with medic.sessions() as session:
        earlier, current = rollup.buckets(session, before, hours * 3600, 2, model=model)
        span, previous = Span.of(start, end, current[0]), Span.of(before, start, earlier[0])
        read = _read(session, model, span, previous, labels=classifier)
        if classifier:
            now_counts, then_counts = _cells(current), _cells(earlier)
            values = _from_counts(now_counts) | {"roc_auc": _auc(*read.labelled(True))}
            old = _from_counts(then_counts) | {"roc_auc": _auc(*read.labelled(False))}
            labelled, previous_labelled = sum(now_counts.values()), sum(then_counts.values())
            confusion, pairs = Confusion(**now_counts), None
        else:
            earlier_sums, sums = rollup.errors(session, before, hours * 3600, 2, model=model)
            (labelled, values), (previous_labelled, old) = _regression(sums), \
                _regression(earlier_sums)
            confusion, pairs = None, _pairs(session, model, span)
        latency = read.latency(span.logged)
        trend = _trend(session, spec, now, notes)
    with medic.sessions() as session:
        actions = _actions(session, model)
    read = "ROC-AUC and latency" if classifier else "Latency"
    for which, part in (("this period", span), ("the period before", previous)):
        if part.share is not None:
            notes.append(f"{read} of {which} {'are' if classifier else 'is'} over an even "
                         f"sample of it: {SLICES} "
                         f"stretches holding about {SCAN_ROWS:,} of its {part.logged:,} "
                         "logged predictions.")
    metrics = [MetricTile(name=name, value=values.get(name), previous=old.get(name),
                          change=_change(values.get(name), old.get(name)),
                          baseline=recorded.get(f"test_{name}"),
                          higher_is_better=specs.higher_is_better(name))
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
                 "rows of a batch carry the whole batch's time.")
    if medic.settings.prediction_retention_days < TREND_DAYS:
        notes.append(f"The prediction log keeps {medic.settings.prediction_retention_days} "
                     "days (MEDIC_PREDICTION_RETENTION_DAYS): older days of the trend are "
                     "empty.")
    return PerformanceView(
        model=model, task=spec.task, hours=hours, start=span.start.isoformat(),
        end=span.end.isoformat(), champion=champion, labelled=labelled,
        previous_labelled=previous_labelled, sampled=span.share is not None, metrics=metrics,
        latency=latency, confusion=confusion, pairs=pairs, trend=trend, actions=actions,
        notes=notes)


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _champion(medic: Medic, model: str) -> tuple[str | None, dict[str, float]]:
    """Return the champion and its metrics as Medic recorded them (`model_facts`)."""
    found = next((v for v in watched.registry_of(medic, model).recorded_versions()
                  if "champion" in v.aliases), None)
    return (found.version, dict(found.metrics)) if found else (None, {})


def _cells(sums: list[int]) -> dict[str, int]:
    _n, _ones, tp, fp, fn, tn = sums
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn}


def _from_counts(cells: dict[str, int]) -> dict[str, float | None]:
    """Return accuracy, F1, precision and recall of a confusion matrix (None: undefined)."""
    tp, fp, fn, tn = cells["tp"], cells["fp"], cells["fn"], cells["tn"]
    total = tp + fp + fn + tn

    def ratio(top: int, bottom: int) -> float | None:
        return top / bottom if bottom else None

    return {"accuracy": ratio(tp + tn, total), "f1": ratio(2 * tp, 2 * tp + fp + fn),
            "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn)}


def _labelled(session, model: str, span: Span):
    """Return the join of `model`'s logged rows in `span` (or its sample) with their labels."""
    return _within(select().select_from(Prediction)
                   .join(Feedback, Feedback.request_id == Prediction.request_id)
                   .where(Prediction.model == model), session, span)


@dataclass(frozen=True)
class Read:
    """The rows read of a period and the one before: which, answer time, score, label."""

    current: "np.ndarray"  # True: the period's row; False: the period before's
    latency_ms: "np.ndarray"
    score: "np.ndarray"  # a classifier's probability, a regressor's predicted value
    label: "np.ndarray"  # NaN: no label came

    def labelled(self, current: bool):
        """Return (score, label) of the labelled rows of the period (or of the one before)."""
        import numpy as np

        taken = (self.current == current) & ~np.isnan(self.label)
        return self.score[taken], self.label[taken]

    def latency(self, logged: int) -> LatencyTile:
        """Return the answer times' p50 and p95 (ms), this period and the one before."""
        import numpy as np

        def cut(current: bool, q: float) -> float | None:
            times = self.latency_ms[self.current == current]
            return float(np.percentile(times, q)) if len(times) else None

        return LatencyTile(p50_ms=cut(True, 50), p95_ms=cut(True, 95),
                           previous_p50_ms=cut(False, 50), previous_p95_ms=cut(False, 95),
                           rows=int(self.current.sum()), logged=logged)


def _read(session, model: str, span: Span, previous: Span, *, labels: bool = True) -> Read:
    """Read both periods' rows (or their samples) at once, each with its label if one came.

    `labels=False` (a regressor's: its figures come from the sums) leaves every label NaN.
    """
    import numpy as np

    label = (select(Feedback.label).where(Feedback.request_id == Prediction.request_id)
             .scalar_subquery()) if labels else null()  # a primary-key lookup per row
    rows = session.execute(_within(
        select(Prediction.created_at >= span.start, Prediction.latency_ms,
               Prediction.probability, label).select_from(Prediction)
        .where(Prediction.model == model), session, span, previous, array=True)).all()
    current, latency, score, label = (zip(*rows, strict=True) if rows else [()] * 4)
    return Read(current=np.array(current, dtype=bool),
                latency_ms=np.array(latency, dtype="float64"),
                score=np.array(score, dtype="float64"),
                label=np.array([np.nan if v is None else v for v in label], dtype="float64"))


def _auc(score, label) -> float | None:
    """Return the ROC-AUC of labelled scores (None: none, or one class alone)."""
    positive = label == 1
    if not len(label) or positive.all() or not positive.any():
        return None  # no ranking to judge
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(positive, score))


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


def _pairs(session, model: str, span: Span) -> PredictedActual:
    newest = Span(span.start, span.end, span.logged)  # the newest rows: no sample needed
    rows = session.execute(_labelled(session, model, newest)
                           .add_columns(Prediction.probability, Feedback.label)
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
        per_day = rollup.buckets(session, first, DAY, TREND_DAYS, model=spec.name)
        if metric not in FROM_COUNTS:
            notes.append(f"The trend shows F1: {metric} per day needs every row's score.")
            metric = "f1"
        cells = [_cells(sums) for sums in per_day]
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
