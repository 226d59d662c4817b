"""Estimate F1 without labels from a calibrated model's probabilities (CBPE-style)."""

import numpy as np
from pydantic import BaseModel


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
