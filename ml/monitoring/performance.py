"""Measure performance from feedback labels, and estimate it from probabilities where none came."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

THRESHOLD = 0.5  # the serving decision threshold: label = probability >= 0.5


@dataclass(frozen=True)
class VersionPerformance:
    """Metrics of one model version over its labelled rows in the window."""

    model_version: str
    rows: int
    labelled: int
    f1: float | None
    accuracy: float | None
    roc_auc: float | None  # None while only one class has been labelled


@dataclass(frozen=True)
class VersionErrors:
    """A regressor's errors for one model version over its labelled rows in the window."""

    model_version: str
    rows: int
    labelled: int
    mae: float | None
    rmse: float | None
    r2: float | None  # None while the labels hold a single value


@dataclass(frozen=True)
class Estimate:
    """Accuracy and F1 expected from the probabilities alone (confidence-based, as CBPE)."""

    rows: int
    accuracy: float | None
    f1: float | None
    calibration_error: float
    reliable: bool


def by_version(window: pd.DataFrame, *, min_labels: int) -> list[VersionPerformance]:
    """Return F1, accuracy and ROC-AUC per model version; None below `min_labels` labels."""
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    found = []
    for version, rows in window.groupby("model_version", sort=True):
        labelled = rows[rows["target"].notna()]
        truth = labelled["target"].to_numpy("int64")
        if len(labelled) < max(min_labels, 1):
            found.append(VersionPerformance(str(version), len(rows), len(labelled),
                                            None, None, None))
            continue
        predicted = labelled["label"].to_numpy("int64")
        both = len(np.unique(truth)) > 1
        found.append(VersionPerformance(
            model_version=str(version), rows=len(rows), labelled=len(labelled),
            f1=float(f1_score(truth, predicted, zero_division=0)),
            accuracy=float(accuracy_score(truth, predicted)),
            roc_auc=float(roc_auc_score(truth, labelled["probability"])) if both else None))
    return found


def errors_by_version(window: pd.DataFrame, *, min_labels: int) -> list[VersionErrors]:
    """Return MAE, RMSE and R² of `prediction` against `target` per model version."""
    found = []
    for version, rows in window.groupby("model_version", sort=True):
        labelled = rows[rows["target"].notna() & rows["prediction"].notna()]
        if len(labelled) < max(min_labels, 1):
            found.append(VersionErrors(str(version), len(rows), len(labelled), None, None, None))
            continue
        truth = labelled["target"].to_numpy("float64")
        error = labelled["prediction"].to_numpy("float64") - truth
        spread = float(((truth - truth.mean()) ** 2).sum())
        found.append(VersionErrors(
            model_version=str(version), rows=len(rows), labelled=len(labelled),
            mae=float(np.abs(error).mean()), rmse=float(np.sqrt((error ** 2).mean())),
            r2=1 - float((error ** 2).sum()) / spread if spread > 0 else None))
    return found


def calibration_error(truth: np.ndarray, probability: np.ndarray, bins: int = 5) -> float:
    """Return the expected calibration error: |mean score - observed rate| over equal bins."""
    truth = np.asarray(truth, dtype="float64")
    probability = np.asarray(probability, dtype="float64")
    if probability.size == 0:
        return float("nan")
    which = np.minimum((probability * bins).astype("int64"), bins - 1)
    counts = np.bincount(which, minlength=bins)
    gap = np.abs(np.bincount(which, probability, bins) - np.bincount(which, truth, bins))
    return float(gap.sum() / probability.size) if counts.any() else float("nan")


def estimate(probability: np.ndarray, *, calibration: float,
             max_calibration_error: float) -> Estimate:
    """Estimate accuracy and F1 from disease probabilities, trusting them as calibrated.

    Each row contributes its probability of being right: p for a predicted positive,
    1 - p for a predicted negative. The estimate is marked unreliable when the model's
    calibration error on the reference hold-out exceeds `max_calibration_error`.
    """
    probability = np.asarray(probability, dtype="float64")
    probability = probability[np.isfinite(probability)]
    reliable = bool(np.isfinite(calibration) and calibration <= max_calibration_error)
    if probability.size == 0:
        return Estimate(0, None, None, calibration, reliable)
    positive = probability >= THRESHOLD
    true_pos = probability[positive].sum()
    false_pos = (1 - probability[positive]).sum()
    false_neg = probability[~positive].sum()
    true_neg = (1 - probability[~positive]).sum()
    accuracy = (true_pos + true_neg) / probability.size
    f1_denominator = 2 * true_pos + false_pos + false_neg
    f1 = 2 * true_pos / f1_denominator if f1_denominator > 0 else 0.0
    return Estimate(int(probability.size), float(accuracy), float(f1), calibration, reliable)
