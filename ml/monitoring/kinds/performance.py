"""Performance: F1, accuracy or ROC-AUC on feedback labels, per model version; the worst counts."""

from dataclasses import asdict

from ml.monitoring import performance
from ml.monitoring.kind import MonitorKind
from ml.monitoring.results import MonitorResult, result

METRICS = ("f1", "accuracy", "roc_auc")


def check(definition, window, _reference, _serving) -> MonitorResult:
    """Score each model version on its labelled rows; the worst scored version is the value."""
    versions = performance.by_version(window, min_labels=definition.min_rows)
    scored = [v for v in versions if getattr(v, definition.metric) is not None]
    labelled = sum(v.labelled for v in versions)
    details = {"metric": definition.metric, "versions": [asdict(v) for v in versions]}
    if not scored:
        return result(definition, rows=labelled, value=None, enough=False, details=details,
                      note=f"no model version has {definition.min_rows} labelled predictions "
                           f"with a usable {definition.metric} in the window")
    worst = min(scored, key=lambda v: getattr(v, definition.metric))
    values = {k: getattr(worst, k) for k in METRICS if getattr(worst, k) is not None}
    return result(definition, rows=labelled, value=getattr(worst, definition.metric),
                  enough=True, values={**values, "labelled_rows": float(worst.labelled)},
                  details={**details, "model_version": worst.model_version})


PERFORMANCE = MonitorKind(
    name="performance", measures="F1, accuracy or ROC-AUC on /v1/feedback labels, per version",
    check=check, direction="below", alert_type="performance",
    value_name=lambda definition: definition.metric, judges_model=True)
