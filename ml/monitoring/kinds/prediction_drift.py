"""Prediction drift: the predicted class share and the score distribution against the hold-out."""

import pandas as pd

from ml.monitoring import drift
from ml.monitoring.kind import MonitorKind
from ml.monitoring.kinds.data_drift import drift_result
from ml.monitoring.results import MonitorResult, result, too_few


def check(definition, window: pd.DataFrame, reference, _serving) -> MonitorResult:
    """Test the window's answers against the champion's answers on its hold-out.

    A classifier's `label` and `probability`; a regressor's `prediction` (the mean of
    both sides goes with the result).
    """
    if len(window) < definition.min_rows:
        return result(definition, rows=len(window), value=None, note=too_few(definition, window))
    columns = list(reference.predictions.columns)
    current = window.loc[:, columns].astype("float64")
    summary = drift.prediction_drift(reference.predictions, current)
    shown = "label" if "label" in columns else "prediction"
    name = "positive_share" if shown == "label" else "mean_prediction"
    means = {name: float(current[shown].mean()),
             f"reference_{name}": float(reference.predictions[shown].mean())}
    return drift_result(definition, len(window), summary, means)


PREDICTION_DRIFT = MonitorKind(
    name="prediction_drift",
    measures="predicted class share (Z-test) and score distribution (K-S), share drifted; "
             "a regressor's predicted values (K-S)",
    check=check, direction="above", alert_type="drift", value_name="prediction_drift_share",
    needs_reference=True, judges_model=True)
