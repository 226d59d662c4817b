"""Measure data drift of current data against the training reference, per feature.

The tests are those Evidently would choose for each column's type; Evidently's HTML page is
written only as a monitor's report of record (`drift_report.py`), where an alert links it.
"""

import logging

import pandas as pd
from pydantic import BaseModel

from ml.monitoring import drift as monitoring_drift
from ml.spec import ModelSpec

log = logging.getLogger(__name__)
P_VALUE_TESTS = ("ks", "chisquare", "z")


class FeatureDrift(BaseModel):
    """One feature's drift test."""

    feature: str
    test: str
    score: float | None
    p_value: float | None  # the score, when the test gives a p-value
    drifted: bool


class DriftResult(BaseModel):
    """How far current data moved from the reference."""

    drift_share: float
    drifted_features: list[str]
    features: list[FeatureDrift]
    reference_rows: int
    current_rows: int


def measure(reference: pd.DataFrame, current: pd.DataFrame, spec: ModelSpec) -> DriftResult:
    """Test each feature with the test Evidently would choose for its spec's type.

    A feature with no values in `current` counts as drifted (p-value 0).
    """
    summary = monitoring_drift.data_drift(reference, current, spec=spec)
    features = []
    for column in summary.columns:
        score = None if column.score != column.score else column.score
        p_value = 0.0 if column.test == monitoring_drift.EMPTY else (
            score if column.test in P_VALUE_TESTS else None)
        features.append(FeatureDrift(feature=column.column, test=column.test, score=score,
                                     p_value=p_value, drifted=column.drifted))
    result = DriftResult(
        drift_share=summary.drift_share, drifted_features=summary.drifted, features=features,
        reference_rows=len(reference), current_rows=len(current))
    log.info("drift share %.2f over %d features", result.drift_share, len(features))
    return result
