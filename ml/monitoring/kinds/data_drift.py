"""Data drift: the share of the model's features whose distribution moved from the training set."""

from ml.monitoring import drift
from ml.monitoring.kind import MonitorKind
from ml.monitoring.results import MonitorResult, finite_or_none, result, too_few


def check(definition, window, reference, _serving) -> MonitorResult:
    """Test each feature of the window against the champion's training rows."""
    if len(window) < definition.min_rows:
        return result(definition, rows=len(window), value=None, note=too_few(definition, window))
    return drift_result(definition, len(window),
                        drift.data_drift(reference.features, window, spec=reference.spec))


def drift_result(definition, rows: int, summary: drift.DriftSummary,
                 extra: dict[str, float] | None = None) -> MonitorResult:
    """Build a drift check's result: the drifted share, and each column's test in details."""
    columns = [{"column": c.column, "kind": c.kind, "test": c.test,
                "score": finite_or_none(c.score), "threshold": finite_or_none(c.threshold),
                "drifted": c.drifted, "current_rows": c.current_rows} for c in summary.columns]
    return result(definition, rows=rows, value=summary.drift_share,
                  values={"drifted_columns": float(len(summary.drifted)), **(extra or {})},
                  details={"dataset_drift": summary.dataset_drift, "drifted": summary.drifted,
                           "columns": columns})


def report(reference, window, path):
    """Write Evidently's HTML drift report of the window (imported only when one fires)."""
    from ml.monitoring.drift_report import write_evidently_report

    return write_evidently_report(reference.features, window, path, reference.spec)


DATA_DRIFT = MonitorKind(
    name="data_drift", measures="share of the features drifted, each with Evidently's test",
    check=check, direction="above", alert_type="drift", value_name="drift_share",
    needs_reference=True, chart="drift", report=report)
