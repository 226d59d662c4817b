"""Score a fitted classifier: metrics, confusion matrix and ROC curve."""

import numpy as np
import pandas as pd

METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc")


def scores(y_true: pd.Series, probability: np.ndarray, threshold: float = 0.5) -> dict:
    """Return accuracy, precision, recall, F1 and ROC-AUC for disease probabilities."""
    from sklearn.metrics import (
        accuracy_score,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    predicted = (probability >= threshold).astype(int)
    return {
        "accuracy": float(accuracy_score(y_true, predicted)),
        "precision": float(precision_score(y_true, predicted, zero_division=0)),
        "recall": float(recall_score(y_true, predicted, zero_division=0)),
        "f1": float(f1_score(y_true, predicted, zero_division=0)),
        "roc_auc": float(roc_auc_score(y_true, probability)) if y_true.nunique() > 1 else 0.0,
    }


REGRESSION_METRICS = ("mae", "rmse", "r2")


def regression_scores(y_true: pd.Series, predicted: np.ndarray) -> dict:
    """Return MAE, RMSE and R² of a regressor's predictions."""
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    return {"mae": float(mean_absolute_error(y_true, predicted)),
            "rmse": float(np.sqrt(mean_squared_error(y_true, predicted))),
            "r2": float(r2_score(y_true, predicted))}


def task_scores(spec, truth: pd.Series, predicted: np.ndarray) -> dict:
    """Return a model's scores in its task's terms.

    A classifier's are of its probabilities, a regressor's of its predicted values.
    """
    if spec.task == "regression":
        return regression_scores(truth.astype(float), predicted)
    return scores(truth.astype(int), predicted)


def figures(y_true: pd.Series, probability: np.ndarray, title: str) -> dict:
    """Draw the confusion matrix and ROC curve; return {file name: figure}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay, RocCurveDisplay

    confusion, ax = plt.subplots(figsize=(4, 4))
    ConfusionMatrixDisplay.from_predictions(
        y_true, (probability >= 0.5).astype(int), display_labels=["no disease", "disease"],
        ax=ax, colorbar=False,
    )
    ax.set_title(f"{title}: confusion matrix")
    roc, ax = plt.subplots(figsize=(4, 4))
    RocCurveDisplay.from_predictions(y_true, probability, ax=ax, name=title)
    ax.set_title(f"{title}: ROC curve")
    return {"confusion_matrix.png": confusion, "roc_curve.png": roc}
