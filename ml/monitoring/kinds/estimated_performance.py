"""Estimated performance: accuracy or F1 expected from the probabilities, while labels lag."""

from ml.monitoring import performance
from ml.monitoring.kind import MonitorKind
from ml.monitoring.results import MonitorResult, finite_or_none, result, too_few


def check(definition, window, reference, _serving) -> MonitorResult:
    """Estimate the metric from the window's probabilities; untrusted if poorly calibrated."""
    found = performance.estimate(window["probability"].to_numpy("float64"),
                                 calibration=reference.calibration_error,
                                 max_calibration_error=definition.max_calibration_error)
    value = getattr(found, definition.metric)
    details = {"metric": definition.metric,
               "calibration_error": finite_or_none(found.calibration_error),
               "max_calibration_error": definition.max_calibration_error,
               "estimated_accuracy": found.accuracy, "estimated_f1": found.f1}
    note = ""
    if not found.reliable:
        note = (f"not trusted: calibration error {found.calibration_error:.3f} on the "
                f"reference hold-out is over {definition.max_calibration_error}")
    elif found.rows < definition.min_rows:
        note = too_few(definition, window)
    return result(definition, rows=found.rows, value=value, reliable=found.reliable,
                  enough=found.reliable and found.rows >= definition.min_rows,
                  details=details, note=note)


def refuse(definition) -> str:
    """Refuse ROC-AUC and a regressor's metrics: probabilities alone do not estimate them."""
    return "estimated performance covers accuracy and f1 only" \
        if definition.metric not in ("accuracy", "f1") else ""


ESTIMATED_PERFORMANCE = MonitorKind(
    name="estimated_performance",
    measures="F1 or accuracy expected from the probabilities (confidence-based, as CBPE)",
    check=check, direction="below", alert_type="performance",
    value_name=lambda definition: f"estimated_{definition.metric}",
    needs_reference=True, judges_model=True, chart="estimate", refuse=refuse,
    tasks=("binary_classification",))
