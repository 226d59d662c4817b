"""Paired bootstrap interval on the difference of one metric between two models' predictions."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

CELLS = 2_000_000
"""Resampled cells held in memory at once (samples x rows); larger runs go in chunks."""


@dataclass(frozen=True)
class Metric:
    """A metric over the last axis: truth and predictions of shape (..., rows) → shape (...)."""

    name: str
    higher_is_better: bool
    score: Callable[[np.ndarray, np.ndarray], np.ndarray]


def _f1(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    positive, actual = predicted >= 0.5, truth == 1
    tp = (positive & actual).sum(axis=-1)
    wrong = (positive != actual).sum(axis=-1)
    denominator = 2 * tp + wrong
    return np.divide(2 * tp, denominator, out=np.zeros(denominator.shape),
                     where=denominator > 0)


def _accuracy(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    return ((predicted >= 0.5) == (truth == 1)).mean(axis=-1)


def _mae(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    return np.abs(predicted - truth).mean(axis=-1)


def _rmse(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    return np.sqrt(((predicted - truth) ** 2).mean(axis=-1))


METRICS = {m.name: m for m in (
    Metric("f1", True, _f1),  # classifiers: predictions are probabilities, cut at 0.5
    Metric("accuracy", True, _accuracy),
    Metric("mae", False, _mae),  # regressors: predictions are values
    Metric("rmse", False, _rmse),
)}


def metric(name: str) -> Metric:
    """Return the named metric; raise ValueError naming the known ones."""
    if name not in METRICS:
        raise ValueError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")
    return METRICS[name]


class Interval(BaseModel):
    """How much better the challenger is (positive: better), with its bootstrap interval."""

    metric: str
    higher_is_better: bool
    rows: int
    champion: float
    challenger: float
    improvement: float
    """Challenger minus champion for a higher-is-better metric, champion minus challenger else."""
    low: float
    high: float
    confidence: float
    samples: int
    seed: int

    def describe(self) -> str:
        """Say it in one line: `F1 0.654 → 0.829 (+0.175, 90 % interval +0.03 to +0.31)`."""
        return (f"{self.metric.upper()} {self.champion:.3f} → {self.challenger:.3f} on "
                f"{self.rows} rows (improvement {self.improvement:+.3f}, "
                f"{self.confidence:.0%} interval {self.low:+.3f} to {self.high:+.3f})")


def spread(truth, predicted, measure: Metric, *, confidence: float, samples: int,
           seed: int) -> tuple[float, float]:
    """Return one model's metric's central `confidence` interval over resampled rows."""
    truth, predicted = (np.asarray(a, dtype=float) for a in (truth, predicted))
    rows = len(truth)
    rng = np.random.default_rng(seed)
    chunk = max(1, CELLS // max(rows, 1))
    found = []
    for start in range(0, samples, chunk):
        index = rng.integers(0, rows, size=(min(chunk, samples - start), rows))
        found.append(measure.score(truth[index], predicted[index]))
    tail = (1 - confidence) / 2
    low, high = np.quantile(np.concatenate(found), [tail, 1 - tail])
    return float(low), float(high)


def paired(truth, champion, challenger, measure: Metric, *, confidence: float,
           samples: int, seed: int) -> Interval:
    """Return the improvement's central `confidence` interval over paired resamples.

    Each resample draws the rows with replacement and scores both models on the same draw;
    the same seed gives the same interval.
    """
    truth, old, new = (np.asarray(a, dtype=float) for a in (truth, champion, challenger))
    rows = len(truth)
    sign = 1.0 if measure.higher_is_better else -1.0
    rng = np.random.default_rng(seed)
    chunk = max(1, CELLS // max(rows, 1))
    found = []
    for start in range(0, samples, chunk):
        index = rng.integers(0, rows, size=(min(chunk, samples - start), rows))
        found.append(sign * (measure.score(truth[index], new[index])
                             - measure.score(truth[index], old[index])))
    improvements = np.concatenate(found)
    tail = (1 - confidence) / 2
    low, high = np.quantile(improvements, [tail, 1 - tail])
    before, after = float(measure.score(truth, old)), float(measure.score(truth, new))
    return Interval(metric=measure.name, higher_is_better=measure.higher_is_better, rows=rows,
                    champion=before, challenger=after, improvement=sign * (after - before),
                    low=float(low), high=float(high), confidence=confidence, samples=samples,
                    seed=seed)
