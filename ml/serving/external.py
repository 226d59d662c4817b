"""Score a model trained outside Medic, as its team logged it to MLflow.

Medic's fast paths read the pipelines Medic itself builds (`ml/serving/fastpath.py`); an
external model may be any shape and any MLflow flavour. It is scored on a table of the
caller's values (`Rows.frame`). A scikit-learn model logged with `mlflow.sklearn` is asked
for `predict_proba` (classifier) or `predict` (regressor): unpickled from its files when it
can be (no MLflow import), else loaded through MLflow. Any other flavour is loaded as an
MLflow pyfunc and asked for `predict`; a classifier's pyfunc should answer the positive
class's probability (a 2-column answer is read as [P(negative), P(positive)]); a bare 0/1
class is served as a probability of 0 or 1.
"""

import numpy as np

from ml.serving.fastpath import Scorer
from ml.serving.rows import Rows


def load(registry, found):
    """Return an external champion's model: its scikit-learn object, else its pyfunc.

    A pickled sklearn model is read from its files; one MLflow stores otherwise (skops, its
    default) is unwrapped from the pyfunc, so a classifier still answers `predict_proba`.
    """
    from ml.serving.model import load_artifact

    model = load_artifact(found.uri) if found.uri else None
    if model is not None:
        return model
    pyfunc = registry.load_pyfunc(found.version)
    return pyfunc.get_raw_model() if "sklearn" in pyfunc.metadata.flavors else pyfunc


def scorer(model, rows: Rows, *, classifier: bool) -> Scorer:
    """Return `f(X) -> P(positive)` (classifier) or predictions (regressor) for float rows."""
    if classifier and hasattr(model, "predict_proba"):
        return lambda x: np.asarray(model.predict_proba(rows.frame(x)), dtype=float)[:, -1]
    return lambda x: answers(model.predict(rows.frame(x)))


def predictor(model, rows: Rows):
    """Return `f(table) -> predictions` for a table of the caller's values (the hold-out)."""
    return lambda table: answers(model.predict(table.loc[:, list(rows.names)]))


def answers(predicted) -> np.ndarray:
    """Return a model's answer as one float per row: a table's or matrix's last column."""
    values = np.asarray(getattr(predicted, "to_numpy", lambda: predicted)(), dtype=float)
    return values[:, -1] if values.ndim == 2 else values.reshape(-1)


class AsLogged:
    """A version scored as it was logged, in the shape the gate and verify score pipelines.

    `predict_proba(table)` (a classifier: two columns, the positive class last) and
    `predict(table)` take a table of the caller's values with the spec's feature columns.
    """

    def __init__(self, model, rows: Rows, *, classifier: bool) -> None:
        self._model, self._names, self._classifier = model, list(rows.names), classifier

    def _answers(self, table) -> np.ndarray:
        table = table.loc[:, self._names]
        if self._classifier and hasattr(self._model, "predict_proba"):
            return np.asarray(self._model.predict_proba(table), dtype=float)[:, -1]
        return answers(self._model.predict(table))

    def predict(self, table) -> np.ndarray:
        """Return a regressor's predictions (a classifier's positive-class probabilities)."""
        return self._answers(table)

    def __getattr__(self, name: str):
        if name == "predict_proba" and self._classifier:
            def proba(table) -> np.ndarray:
                positive = self._answers(table)
                return np.column_stack([1 - positive, positive])
            return proba
        raise AttributeError(name)


def as_logged(registry, version: str, spec) -> AsLogged:
    """Load one registered version of an external model, scored as it was logged."""
    from ml.registry.aliases import ChampionArtifact

    found = ChampionArtifact(version=str(version), uri=registry.download_uri(str(version)))
    return AsLogged(load(registry, found), Rows(spec),
                    classifier=spec.task == "binary_classification")
