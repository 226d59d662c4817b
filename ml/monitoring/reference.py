"""Build the reference the monitors compare against: the champion's training data and hold-out."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.monitoring.performance import THRESHOLD, calibration_error
from ml.spec import ModelSpec


@dataclass(frozen=True)
class Reference:
    """What "normal" looks like for the model being watched.

    `features`: the training split the model learnt from (data drift compares with it).
    `predictions`: the model's answers on the held-out split, which it never saw
    (prediction drift compares with them; training-set scores are overconfident): a
    classifier's `probability` and `label`, a regressor's `prediction`.
    `truth`: the hold-out's true labels (a classifier's, for the calibration check
    behind estimates) or values (a regressor's).
    `spec`: the model's spec, which types each feature (None: the default model's).
    """

    features: pd.DataFrame
    predictions: pd.DataFrame
    truth: np.ndarray
    spec: ModelSpec | None = None

    @property
    def calibration_error(self) -> float:
        """Return the model's expected calibration error on the hold-out (NaN: a regressor)."""
        if "probability" not in self.predictions:
            return float("nan")
        return calibration_error(self.truth, self.predictions["probability"].to_numpy())


def from_scores(features: pd.DataFrame, holdout_probability, holdout_truth,
                spec: ModelSpec | None = None) -> Reference:
    """Assemble a reference from training features and the model's hold-out probabilities."""
    probability = np.asarray(holdout_probability, dtype="float64")
    predictions = pd.DataFrame({"probability": probability,
                                "label": (probability >= THRESHOLD).astype("float64")})
    return Reference(features=features.reset_index(drop=True), predictions=predictions,
                     truth=np.asarray(holdout_truth, dtype="int64"), spec=spec)


def from_predictions(features: pd.DataFrame, holdout_prediction, holdout_truth,
                     spec: ModelSpec) -> Reference:
    """Assemble a regressor's reference from training features and its hold-out predictions."""
    predictions = pd.DataFrame({"prediction": np.asarray(holdout_prediction, dtype="float64")})
    return Reference(features=features.reset_index(drop=True), predictions=predictions,
                     truth=np.asarray(holdout_truth, dtype="float64"), spec=spec)


def build(frame: pd.DataFrame, score: Callable[[np.ndarray], np.ndarray],
          config, spec: ModelSpec) -> Reference:
    """Split `frame` as training did (`ml.training.train.split`) and score the hold-out.

    `score` maps an array of the spec's features, in its order, to positive-class
    probabilities, such as `ml.serving.fastpath.compile_scorer(model)`; text categories
    travel as their positions in the spec, as serving sends them (`ml.serving.rows`).
    """
    from ml.serving.rows import Rows
    from ml.training.train import split

    x_train, x_test, _y_train, y_test = split(frame, config, spec)
    return from_scores(x_train, score(Rows(spec).encode(x_test)), y_test.to_numpy(), spec)


def build_regression(frame: pd.DataFrame, predict: Callable[[pd.DataFrame], np.ndarray],
                     config, spec: ModelSpec) -> Reference:
    """Split `frame` as training did and predict the hold-out with the fitted pipeline.

    `predict` takes the hold-out's feature columns as the data has them (categories as
    texts), such as the pipeline's own `predict`.
    """
    from ml.training.train import split

    x_train, x_test, _y_train, y_test = split(frame, config, spec)
    return from_predictions(x_train, predict(x_test), y_test.to_numpy(), spec)


def with_features(built: Reference, features: pd.DataFrame, spec: ModelSpec) -> Reference:
    """Return `built` comparing data drift with `features` (the rows a model learnt from)."""
    return Reference(features=features.loc[:, list(spec.feature_names)].reset_index(drop=True),
                     predictions=built.predictions, truth=built.truth, spec=spec)
