"""The label-free F1 estimate, and the loss that decides whether drift hurts."""

import numpy as np
import pandas as pd

from ml.monitoring.estimate import estimate, expected_f1, performance_loss
from tests.conftest import HEART


def test_expected_f1_matches_the_f1_of_calibrated_outcomes():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    probability = rng.beta(2, 2, size=4000)
    outcomes = rng.random((50, probability.size)) < probability  # calibrated by construction
    realised = np.mean([f1_score(o, probability >= 0.5) for o in outcomes])
    assert abs(expected_f1(probability) - realised) < 0.01


def test_less_confident_traffic_is_an_estimated_loss():
    confident = np.r_[np.full(50, 0.95), np.full(50, 0.05)]
    unsure = np.r_[np.full(50, 0.6), np.full(50, 0.4)]
    found = estimate(confident, unsure)
    assert found.loss > 0.3 and found.hurts(0.05)
    assert not estimate(confident, confident).hurts(0.05)


class Fixed:
    """A model that answers the same probability for everyone."""

    def __init__(self, p):
        self.p = p

    def predict_proba(self, x):
        return np.column_stack([np.full(len(x), 1 - self.p), np.full(len(x), self.p)])


def frame(rows, target=None):

    found = pd.DataFrame({name: np.ones(rows) for name in HEART.feature_names})
    if target is not None:
        found["target"] = target
    return found


def test_labels_decide_when_there_are_enough_of_them():
    labelled = frame(40, target=[0.0] * 40)  # the model says disease to healthy people: F1 0
    found = performance_loss(labelled, model=Fixed(0.9), reference=frame(10),
                             reference_f1=0.85, min_labels=30, spec=HEART)
    assert found == {"performance_loss": 0.85, "loss_from": "labels", "loss_rows": 40}


def test_the_estimate_decides_while_labels_lag():
    lagging = frame(40, target=[0.0] * 10 + [np.nan] * 30)
    found = performance_loss(lagging, model=Fixed(0.9), reference=frame(10),
                             reference_f1=0.85, min_labels=30, spec=HEART)
    assert found["loss_from"] == "estimate" and abs(found["performance_loss"]) < 1e-9
