"""Measure data drift of current data against the training reference with Evidently."""

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from ml.schema import FEATURE_NAMES

log = logging.getLogger(__name__)


class FeatureDrift(BaseModel):
    """One feature's drift test."""

    feature: str
    p_value: float
    drifted: bool


class DriftResult(BaseModel):
    """How far current data moved from the reference."""

    drift_share: float
    drifted_features: list[str]
    features: list[FeatureDrift]
    reference_rows: int
    current_rows: int
    report_path: str | None = None


def measure(reference: pd.DataFrame, current: pd.DataFrame, *, threshold: float = 0.05,
            report_dir: Path | None = None) -> DriftResult:
    """Run the KS test per feature (Evidently `num_method="ks"`); keep the HTML report."""
    os.environ.setdefault("DO_NOT_TRACK", "true")
    from evidently import Report
    from evidently.presets import DataDriftPreset

    empty = [c for c in FEATURE_NAMES if current[c].isna().all() or reference[c].isna().all()]
    columns = [c for c in FEATURE_NAMES if c not in empty]
    snapshot = Report([DataDriftPreset(columns=columns, method="ks", threshold=threshold)]).run(
        current.loc[:, columns], reference.loc[:, columns])
    # A column with no values at all cannot be tested, and is certainly not the same data.
    features = [FeatureDrift(feature=c, p_value=0.0, drifted=True) for c in empty]
    for metric in snapshot.dict()["metrics"]:
        column = metric["config"].get("column")
        if column in columns and metric["metric_name"].startswith("ValueDrift"):
            p_value = float(metric["value"])
            features.append(FeatureDrift(feature=column, p_value=p_value,
                                         drifted=p_value < threshold))
    drifted = [f.feature for f in features if f.drifted]
    path = None
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        path = report_dir / f"drift-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.html"
        snapshot.save_html(str(path))
    result = DriftResult(
        drift_share=len(drifted) / len(features) if features else 0.0,
        drifted_features=drifted, features=features, reference_rows=len(reference),
        current_rows=len(current), report_path=str(path) if path else None,
    )
    log.info("drift share %.2f over %d features", result.drift_share, len(features))
    return result
