"""Performance: the spec's metric on feedback labels, per model version; the worst counts.

A classifier is judged by F1, accuracy or ROC-AUC (worse when lower), a regressor by MAE or
RMSE (worse when higher) or R² (worse when lower): the direction follows the metric.
"""

from dataclasses import asdict

from ml.monitoring import performance
from ml.monitoring.kind import MonitorKind
from ml.monitoring.results import MonitorResult, result
from ml.spec import REGRESSION_METRICS, higher_is_better

METRICS = ("f1", "accuracy", "roc_auc")


def check(definition, window, _reference, _serving) -> MonitorResult:
    """Score each model version on its labelled rows; the worst scored version is the value."""
    metric = definition.metric
    regression = metric in REGRESSION_METRICS
    versions = (performance.errors_by_version if regression else performance.by_version)(
        window, min_labels=definition.min_rows)
    scored = [v for v in versions if getattr(v, metric) is not None]
    labelled = sum(v.labelled for v in versions)
    details = {"metric": metric, "versions": [asdict(v) for v in versions]}
    if not scored:
        return result(definition, rows=labelled, value=None, enough=False, details=details,
                      note=f"no model version has {definition.min_rows} labelled predictions "
                           f"with a usable {metric} in the window")
    worse = min if higher_is_better(metric) else max
    worst = worse(scored, key=lambda v: getattr(v, metric))
    names = REGRESSION_METRICS if regression else METRICS
    values = {k: getattr(worst, k) for k in names if getattr(worst, k) is not None}
    return result(definition, rows=labelled, value=getattr(worst, metric),
                  enough=True, values={**values, "labelled_rows": float(worst.labelled)},
                  details={**details, "model_version": worst.model_version})


PERFORMANCE = MonitorKind(
    name="performance",
    measures="the spec's metric (F1, ROC-AUC...; MAE, RMSE, R²) on feedback labels, per version",
    check=check, direction="metric", alert_type="performance",
    value_name=lambda definition: definition.metric, judges_model=True)
