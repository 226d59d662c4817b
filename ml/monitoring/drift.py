"""Measure data drift per feature and prediction drift, without Evidently on the path."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml import spec as specs
from ml.monitoring.stattests import ColumnDrift, Kind, column_drift


def feature_kinds(spec: specs.ModelSpec | None = None) -> dict[str, Kind]:
    """Return each feature's drift kind, as the spec (default: the default model's) types it."""
    return {f.name: "categorical" if f.is_categorical else "numerical"
            for f in (spec or specs.default()).features}
PREDICTION_KINDS: dict[str, Kind] = {"label": "categorical", "probability": "numerical"}
PREDICTED_VALUE_KINDS: dict[str, Kind] = {"prediction": "numerical"}  # a regressor's
EMPTY = "no values"  # the test named for a column with no values in the window


@dataclass(frozen=True)
class DriftSummary:
    """Drift over a set of columns: each column's test and the share that drifted."""

    columns: tuple[ColumnDrift, ...]
    drift_share: float
    dataset_drift: bool

    @property
    def drifted(self) -> list[str]:
        """Return the names of the columns that drifted."""
        return [c.column for c in self.columns if c.drifted]


def measure(reference: pd.DataFrame, current: pd.DataFrame, kinds: dict[str, Kind], *,
            drift_share: float = 0.5) -> DriftSummary:
    """Test each column of `kinds`; the data set drifts once the drifted share reaches the limit.

    A column the window holds no value of (while the reference does) counts as drifted:
    a feature that stopped arriving is a changed input. A column the reference lacks is
    skipped, as there is nothing to compare with.
    """
    results = []
    for name, kind in kinds.items():
        ref, cur = numbers(reference[name], current[name])
        if not np.isfinite(ref).any():
            continue
        if not np.isfinite(cur).any():
            results.append(ColumnDrift(column=name, kind=kind, test=EMPTY, score=float("nan"),
                                       threshold=float("nan"), drifted=True,
                                       reference_rows=int(np.isfinite(ref).sum()),
                                       current_rows=0))
            continue
        results.append(column_drift(name, kind, ref, cur))
    share = sum(c.drifted for c in results) / len(results) if results else 0.0
    return DriftSummary(columns=tuple(results), drift_share=share,
                        dataset_drift=bool(results) and share >= drift_share)


def numbers(reference: pd.Series, current: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return both columns as floats (NaN: missing); texts become codes shared by both sides.

    A category spelled as text (`"6am"`, `"winter"`) is coded by its place among the values
    either side holds, so the same text gets the same code in the reference and the window.
    """
    if _numeric(reference) and _numeric(current):
        return (reference.to_numpy("float64", na_value=np.nan),
                current.to_numpy("float64", na_value=np.nan))
    both = pd.concat([reference.astype("object"), current.astype("object")],
                     ignore_index=True)
    codes = pd.Series(pd.factorize(both.map(lambda v: None if v is None or v != v else str(v)),
                                   use_na_sentinel=True)[0], dtype="float64")
    codes[codes < 0] = np.nan
    return codes.iloc[:len(reference)].to_numpy(), codes.iloc[len(reference):].to_numpy()


def _numeric(values: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(values.dtype):
        return True
    present = values.dropna()
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in present)


def data_drift(reference: pd.DataFrame, current: pd.DataFrame, *, drift_share: float = 0.5,
               spec: specs.ModelSpec | None = None) -> DriftSummary:
    """Measure drift of the model's features, each typed by its spec (default model's)."""
    return measure(reference, current, feature_kinds(spec), drift_share=drift_share)


def prediction_drift(reference: pd.DataFrame, current: pd.DataFrame, *,
                     drift_share: float = 0.5) -> DriftSummary:
    """Measure drift of the predicted class (`label`) and the score (`probability`).

    For a regressor, whose reference holds `prediction`, of the predicted value's
    distribution.
    """
    kinds = {name: kind for name, kind in {**PREDICTION_KINDS, **PREDICTED_VALUE_KINDS}.items()
             if name in reference}
    return measure(reference, current, kinds, drift_share=drift_share)
