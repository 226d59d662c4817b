"""Prediction drift: the predicted class share and the score distribution against the hold-out."""

import pandas as pd

from ml.monitoring import drift
from ml.monitoring.kind import MonitorKind
from ml.monitoring.kinds.data_drift import drift_result
from ml.monitoring.results import MonitorResult, result, too_few


def check(definition, window: pd.DataFrame, reference, _serving) -> MonitorResult:
    """Test the window's `label` and `probability` against the champion's hold-out scores."""
    if len(window) < definition.min_rows:
        return result(definition, rows=len(window), value=None, note=too_few(definition, window))
    current = window.loc[:, ["label", "probability"]].astype("float64")
    summary = drift.prediction_drift(reference.predictions, current)
    shares = {"positive_share": float(current["label"].mean()),
              "reference_positive_share": float(reference.predictions["label"].mean())}
    return drift_result(definition, len(window), summary, shares)


PREDICTION_DRIFT = MonitorKind(
    name="prediction_drift",
    measures="predicted class share (Z-test) and score distribution (K-S), share drifted",
    check=check, direction="above", alert_type="drift", value_name="prediction_drift_share",
    needs_reference=True, judges_model=True)
