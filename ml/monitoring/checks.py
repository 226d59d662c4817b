"""Check one monitor over a window of the prediction log: one function per kind."""

from collections.abc import Callable
from dataclasses import asdict

import pandas as pd

from ml.monitoring import drift, health, performance
from ml.monitoring.definitions import MonitorDefinition
from ml.monitoring.reference import Reference
from ml.monitoring.results import MonitorResult, result

ServingSource = Callable[[int], "health.ServingCounts | None"]


def check(definition: MonitorDefinition, window: pd.DataFrame, reference: Reference | None,
          serving: ServingSource | None = None) -> MonitorResult:
    """Measure `definition` on `window` (rows from `ml.prediction_log.window`).

    Without a reference (the champion could not be loaded) the kinds that compare with
    one have no value; the serving checks still run, load failures among them.
    """
    if reference is None and definition.kind in REFERENCE_KINDS:
        return result(definition, rows=len(window), value=None,
                      note="no reference: the champion could not be loaded")
    return CHECKS[definition.kind](definition, window, reference, serving)


def _data_drift(definition, window, reference, _serving) -> MonitorResult:
    if len(window) < definition.min_rows:
        return result(definition, rows=len(window), value=None, note=_few(definition, window))
    summary = drift.data_drift(reference.features, window)
    return _drift_result(definition, len(window), summary)


def _prediction_drift(definition, window, reference, _serving) -> MonitorResult:
    if len(window) < definition.min_rows:
        return result(definition, rows=len(window), value=None, note=_few(definition, window))
    current = window.loc[:, ["label", "probability"]].astype("float64")
    summary = drift.prediction_drift(reference.predictions, current)
    shares = {"positive_share": float(current["label"].mean()),
              "reference_positive_share": float(reference.predictions["label"].mean())}
    return _drift_result(definition, len(window), summary, shares)


def _drift_result(definition, rows, summary: drift.DriftSummary, extra=None) -> MonitorResult:
    columns = [{"column": c.column, "kind": c.kind, "test": c.test, "score": _num(c.score),
                "threshold": _num(c.threshold), "drifted": c.drifted,
                "current_rows": c.current_rows} for c in summary.columns]
    return result(definition, rows=rows, value=summary.drift_share,
                  values={"drifted_columns": float(len(summary.drifted)), **(extra or {})},
                  details={"dataset_drift": summary.dataset_drift, "drifted": summary.drifted,
                           "columns": columns})


def _performance(definition, window, _reference, _serving) -> MonitorResult:
    versions = performance.by_version(window, min_labels=definition.min_rows)
    scored = [v for v in versions if getattr(v, definition.metric) is not None]
    labelled = sum(v.labelled for v in versions)
    details = {"metric": definition.metric, "versions": [asdict(v) for v in versions]}
    if not scored:
        return result(definition, rows=labelled, value=None, enough=False, details=details,
                      note=f"no model version has {definition.min_rows} labelled predictions "
                           f"with a usable {definition.metric} in the window")
    worst = min(scored, key=lambda v: getattr(v, definition.metric))
    values = {k: getattr(worst, k) for k in ("f1", "accuracy", "roc_auc")
              if getattr(worst, k) is not None}
    return result(definition, rows=labelled, value=getattr(worst, definition.metric),
                  enough=True, values={**values, "labelled_rows": float(worst.labelled)},
                  details={**details, "model_version": worst.model_version})


def _estimated(definition, window, reference, _serving) -> MonitorResult:
    found = performance.estimate(window["probability"].to_numpy("float64"),
                                 calibration=reference.calibration_error,
                                 max_calibration_error=definition.max_calibration_error)
    value = getattr(found, definition.metric)
    details = {"metric": definition.metric, "calibration_error": _num(found.calibration_error),
               "max_calibration_error": definition.max_calibration_error,
               "estimated_accuracy": found.accuracy, "estimated_f1": found.f1}
    note = ""
    if not found.reliable:
        note = (f"not trusted: calibration error {found.calibration_error:.3f} on the "
                f"reference hold-out is over {definition.max_calibration_error}")
    elif found.rows < definition.min_rows:
        note = _few(definition, window)
    return result(definition, rows=found.rows, value=value, reliable=found.reliable,
                  enough=found.reliable and found.rows >= definition.min_rows,
                  details=details, note=note)


def _error_rate(definition, _window, _reference, serving) -> MonitorResult:
    counts = serving(definition.window_minutes) if serving else None
    if counts is None:
        return result(definition, rows=0, value=None, note="no request counts from the API")
    return result(definition, rows=counts.requests, value=health.error_rate(counts),
                  values={"errors": float(counts.errors)})


def _latency(definition, window, _reference, _serving) -> MonitorResult:
    latency = window["latency_ms"] if "latency_ms" in window else pd.Series(dtype="float64")
    rows = int(latency.notna().sum())
    return result(definition, rows=rows, value=health.latency_p99(latency),
                  note=_few(definition, window) if rows < definition.min_rows else "")


def _load_failures(definition, _window, _reference, serving) -> MonitorResult:
    counts = serving(definition.window_minutes) if serving else None
    if counts is None:
        return result(definition, rows=0, value=None, note="no load counts from the API")
    return result(definition, rows=counts.requests, value=float(counts.load_failures))


def _few(definition, window) -> str:
    return f"{len(window)} rows in the window, {definition.min_rows} needed"


def _num(value: float) -> float | None:
    return None if value != value else float(value)


SERVING_KINDS = frozenset({"error_rate", "load_failures"})  # they read the API's own counts
REFERENCE_KINDS = frozenset({"data_drift", "prediction_drift", "estimated_performance"})
CHECKS = {"data_drift": _data_drift, "prediction_drift": _prediction_drift,
          "performance": _performance, "estimated_performance": _estimated,
          "error_rate": _error_rate, "latency_p99": _latency, "load_failures": _load_failures}
