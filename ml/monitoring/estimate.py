"""Estimate F1 without labels from a calibrated model's probabilities (CBPE-style)."""

import numpy as np
import pandas as pd
from pydantic import BaseModel

from ml.spec import ModelSpec


def expected_f1(probability: np.ndarray, threshold: float = 0.5) -> float:
    """Return the F1 expected if each probability is the chance the case is positive."""
    probability = np.asarray(probability, dtype=float)
    predicted = probability >= threshold
    true_positive = probability[predicted].sum()
    false_positive = (1 - probability[predicted]).sum()
    false_negative = probability[~predicted].sum()
    denominator = 2 * true_positive + false_positive + false_negative
    return float(2 * true_positive / denominator) if denominator else 0.0


class Estimate(BaseModel):
    """Estimated F1 on reference and on current traffic, and the loss between them."""

    reference_f1: float
    current_f1: float
    loss: float
    rows: int

    def hurts(self, max_loss: float) -> bool:
        """Return True when the estimated loss exceeds what is tolerated."""
        return self.loss > max_loss


def estimate(reference_probability: np.ndarray, current_probability: np.ndarray) -> Estimate:
    """Compare the expected F1 on current traffic with that on the reference."""
    reference, current = expected_f1(reference_probability), expected_f1(current_probability)
    return Estimate(reference_f1=reference, current_f1=current, loss=reference - current,
                    rows=len(current_probability))


def performance_loss(current: pd.DataFrame, *, model, reference: pd.DataFrame,
                     reference_f1: float, min_labels: int,
                     spec: ModelSpec) -> dict[str, float | str | int]:
    """Return how much F1 the model lost on `current`: measured with labels, else estimated.

    With at least `min_labels` labelled rows the loss is the held-out F1 minus the F1 on
    them; with fewer (labels lagging) it is the expected F1 on the reference minus the
    expected F1 on `current`, both from the model's probabilities.
    """
    from ml.data import features
    from ml.training import evaluate

    if "probability" in current and current["probability"].notna().all():
        probability = current["probability"].to_numpy()
    else:
        probability = model.predict_proba(features(current, spec))[:, 1]
    labelled = current["target"].notna().to_numpy() if "target" in current else None
    if labelled is not None and labelled.sum() >= min_labels:
        f1 = evaluate.scores(current.loc[labelled, "target"], probability[labelled])["f1"]
        return {"performance_loss": reference_f1 - f1, "loss_from": "labels",
                "loss_rows": int(labelled.sum())}
    found = estimate(model.predict_proba(features(reference, spec))[:, 1], probability)
    return {"performance_loss": found.loss, "loss_from": "estimate", "loss_rows": found.rows}
