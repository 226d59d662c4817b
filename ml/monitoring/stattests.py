"""Test one column for drift with the statistical test Evidently 0.7 would choose for it."""

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Kind = Literal["numerical", "categorical"]

# Evidently's default thresholds; a p-value test drifts below, a distance at or above.
DEFAULT_THRESHOLD = {"ks": 0.05, "chisquare": 0.05, "z": 0.05,
                     "jensenshannon": 0.1, "wasserstein": 0.1}
DISPLAY_NAME = {"ks": "K-S p_value", "chisquare": "chi-square p_value", "z": "Z-test p_value",
                "jensenshannon": "Jensen-Shannon distance",
                "wasserstein": "Wasserstein distance (normed)"}
SMALL_REFERENCE = 1000  # up to this many reference rows Evidently uses p-value tests


@dataclass(frozen=True)
class ColumnDrift:
    """One column's drift test: which test, its score, the threshold and the verdict."""

    column: str
    kind: Kind
    test: str
    score: float
    threshold: float
    drifted: bool
    reference_rows: int
    current_rows: int


def choose_test(kind: Kind, reference_rows: int, distinct_values: int) -> str:
    """Return the test Evidently 0.7 picks by default (its `_get_default_stattest`)."""
    if reference_rows <= SMALL_REFERENCE:
        if kind == "numerical" and distinct_values > 5:
            return "ks"
        return "chisquare" if distinct_values > 2 else "z"
    if kind == "numerical" and distinct_values > 5:
        return "wasserstein"
    return "jensenshannon"


def column_drift(column: str, kind: Kind, reference: np.ndarray, current: np.ndarray,
                 threshold: float | None = None) -> ColumnDrift:
    """Test one column (missing and infinite values dropped first, as Evidently does).

    Both samples must hold at least one value; the caller decides what an empty column means.
    """
    reference, current = _finite(reference), _finite(current)
    if reference.size == 0 or current.size == 0:
        raise ValueError(f"column {column!r} has no values to test")
    ref_counts = _counts(reference)
    cur_counts = _counts(current)
    distinct = len(ref_counts.index.union(cur_counts.index))
    test = choose_test(kind, reference.size, distinct)
    limit = DEFAULT_THRESHOLD[test] if threshold is None else threshold
    if test == "ks":
        from scipy.stats import ks_2samp

        score = float(ks_2samp(reference, current)[1])
        drifted = score <= limit
    elif test == "chisquare":
        score = _chisquare(ref_counts, cur_counts)
        drifted = score < limit
    elif test == "z":
        score = _z_test(ref_counts, cur_counts)
        drifted = score < limit
    elif test == "jensenshannon":
        score = _jensenshannon(kind, reference, current, ref_counts, cur_counts)
        drifted = score >= limit
    else:
        from scipy.stats import wasserstein_distance

        score = float(wasserstein_distance(reference, current)
                      / max(float(np.std(reference)), 0.001))
        drifted = score >= limit
    return ColumnDrift(column=column, kind=kind, test=test, score=score, threshold=limit,
                       drifted=bool(drifted), reference_rows=int(reference.size),
                       current_rows=int(current.size))


def _finite(values) -> np.ndarray:
    array = np.asarray(values, dtype="float64")
    return array[np.isfinite(array)]


def _counts(values: np.ndarray) -> pd.Series:
    return pd.Series(values, copy=False).value_counts(sort=False)


def _aligned(ref_counts: pd.Series, cur_counts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    keys = ref_counts.index.union(cur_counts.index)
    return (ref_counts.reindex(keys, fill_value=0).to_numpy("float64"),
            cur_counts.reindex(keys, fill_value=0).to_numpy("float64"))


def _chisquare(ref_counts: pd.Series, cur_counts: pd.Series) -> float:
    from scipy.stats import chisquare

    expected, observed = _aligned(ref_counts, cur_counts)
    expected = expected * (observed.sum() / expected.sum())
    return float(chisquare(observed, expected)[1])


def _z_test(ref_counts: pd.Series, cur_counts: pd.Series) -> float:
    from scipy.stats import norm

    if (len(ref_counts) == 1 and len(cur_counts) == 1
            and ref_counts.index[0] == cur_counts.index[0]):
        return 1.0
    first = min(ref_counts.index.union(cur_counts.index))
    n1, n2 = float(ref_counts.sum()), float(cur_counts.sum())
    p1 = (n1 - float(ref_counts.get(first, 0))) / n1
    p2 = (n2 - float(cur_counts.get(first, 0))) / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
    return float(2 * (1 - norm.cdf(np.abs(z))))


def _jensenshannon(kind: Kind, reference, current, ref_counts, cur_counts) -> float:
    from scipy.spatial import distance

    if kind == "numerical" and len(ref_counts) > 20:
        edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins="sturges")
        ref_share = np.histogram(reference, edges)[0] / reference.size
        cur_share = np.histogram(current, edges)[0] / current.size
    else:
        ref_count, cur_count = _aligned(ref_counts, cur_counts)
        ref_share, cur_share = ref_count / reference.size, cur_count / current.size
    return float(distance.jensenshannon(ref_share, cur_share))
