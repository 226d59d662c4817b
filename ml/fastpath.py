"""Score a fitted pipeline on a NumPy row without sklearn's per-call overhead.

A one-row `predict_proba` on the LogReg pipeline spends ~4.6 ms in pandas and input
validation for ~10 µs of arithmetic. `compile_scorer` reads the fitted parameters once and
returns a function with the same results (tests check equality on every UCI site).
"""

from collections.abc import Callable

import numpy as np

from ml.schema import FEATURE_NAMES

Scorer = Callable[[np.ndarray], np.ndarray]


def compile_scorer(pipeline) -> Scorer:
    """Return `f(X) -> P(disease)` for X of shape (n, 13) in FEATURE_NAMES order (NaN = missing)."""
    steps = dict(pipeline.named_steps)
    model = steps["model"]
    kind = type(model).__name__
    if "prepare" in steps and kind == "LogisticRegression":
        return _linear(steps["prepare"], model)
    if "impute" in steps:
        fill = steps["impute"].statistics_.astype(float)
        if kind == "XGBClassifier":
            booster = model.get_booster()
            return lambda x: booster.inplace_predict(_filled(x, fill))
        if kind == "LGBMClassifier":
            booster = model.booster_
            return lambda x: booster.predict(_filled(x, fill))
        return lambda x: model.predict_proba(_filled(x, fill))[:, 1]
    frame_columns = list(FEATURE_NAMES)

    def generic(x: np.ndarray) -> np.ndarray:
        import pandas as pd

        return pipeline.predict_proba(pd.DataFrame(x, columns=frame_columns))[:, 1]
    return generic


def _filled(x: np.ndarray, fill: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), fill, x)


def _linear(prepare, model) -> Scorer:
    """Fold imputation, scaling, one-hot encoding and the coefficients into arrays."""
    weights = model.coef_[0]
    intercept = float(model.intercept_[0])
    position = {name: i for i, name in enumerate(FEATURE_NAMES)}
    numeric, categorical = prepare.named_transformers_["numeric"], \
        prepare.named_transformers_["categorical"]
    numeric_columns = [position[c] for c in prepare.transformers_[0][2]]
    categorical_columns = [position[c] for c in prepare.transformers_[1][2]]
    n_numeric = len(numeric_columns)
    num_fill = numeric.named_steps["impute"].statistics_.astype(float)
    scaler = numeric.named_steps["scale"]
    num_weights = weights[:n_numeric] / scaler.scale_
    num_offset = float(np.dot(weights[:n_numeric], scaler.mean_ / scaler.scale_))
    cat_fill = categorical.named_steps["impute"].statistics_.astype(float)
    categories = categorical.named_steps["one_hot"].categories_
    cat_weights, start = [], n_numeric
    for values in categories:
        cat_weights.append((np.asarray(values, dtype=float), weights[start:start + len(values)]))
        start += len(values)

    def score(x: np.ndarray) -> np.ndarray:
        nums = _filled(x[:, numeric_columns], num_fill)
        logit = intercept - num_offset + nums @ num_weights
        cats = _filled(x[:, categorical_columns], cat_fill)
        for j, (values, w) in enumerate(cat_weights):
            match = cats[:, j][:, None] == values[None, :]
            logit = logit + match.astype(float) @ w  # unknown category: all zeros, as sklearn
        return 1.0 / (1.0 + np.exp(-logit))
    return score
