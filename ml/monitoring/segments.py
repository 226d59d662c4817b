"""Name the shifted population: the segments whose share moved most between two data sets."""

import math

import pandas as pd
from pydantic import BaseModel

MAX_LEVELS = 10  # a column with at most this many values is read as categories, else quartiles


class Segment(BaseModel):
    """One slice of the data (a category, or a quartile of the reference) and its shares."""

    feature: str
    segment: str
    reference_share: float
    current_share: float

    @property
    def moved(self) -> float:
        """Return the change in share (current minus reference)."""
        return self.current_share - self.reference_share

    def line(self) -> str:
        """Return e.g. `cp = 4: 48% of rows → 75% (was 48% in the training data)`."""
        return (f"{self.feature} {self.segment}: {self.current_share:.0%} of rows now, "
                f"{self.reference_share:.0%} in the training data")


def shifted(reference: pd.DataFrame, current: pd.DataFrame, columns: list[str], *,
            top: int = 3) -> list[Segment]:
    """Return the `top` segments (one per column) whose share moved most, largest first.

    Works on any columns: few distinct values are categories; many are cut at the
    reference's quartiles. Missing values are a segment of their own.
    """
    found: list[Segment] = []
    for column in columns:
        if column not in reference or column not in current or current[column].empty:
            continue
        moved = _segments(column, reference[column], current[column])
        if moved:  # one segment per column: the one that moved most
            found.append(max(moved, key=lambda s: abs(s.moved)))
    found.sort(key=lambda s: abs(s.moved), reverse=True)
    return [s for s in found if abs(s.moved) >= 0.05][:top]


def _segments(column: str, reference: pd.Series, current: pd.Series) -> list[Segment]:
    values = pd.concat([reference, current]).dropna()
    if values.nunique() <= MAX_LEVELS or not pd.api.types.is_numeric_dtype(values):
        labels = {v: f"= {_shown(v)}" for v in values.unique()}
        before, after = _shares(reference, labels), _shares(current, labels)
    else:
        edges = sorted(set(reference.dropna().quantile([0, 0.25, 0.5, 0.75, 1]).tolist()))
        if len(edges) < 3:
            return []
        cuts = [-math.inf, *edges[1:-1], math.inf]
        names = [f"< {_shown(edges[1])}"] + [
            f"in {_shown(a)}–{_shown(b)}" for a, b in zip(edges[1:-2], edges[2:-1],
                                                          strict=True)] + [
            f"≥ {_shown(edges[-2])}"]
        before = _binned(reference, cuts, names)
        after = _binned(current, cuts, names)
    keys = set(before) | set(after)
    return [Segment(feature=column, segment=k, reference_share=before.get(k, 0.0),
                    current_share=after.get(k, 0.0)) for k in keys]


def _shares(series: pd.Series, labels: dict) -> dict[str, float]:
    total = len(series)
    counts = series.map(lambda v: "missing" if pd.isna(v) else labels[v]).value_counts()
    return {k: n / total for k, n in counts.items()} if total else {}


def _binned(series: pd.Series, cuts: list[float], names: list[str]) -> dict[str, float]:
    total = len(series)
    if not total:
        return {}
    binned = pd.cut(series, cuts, labels=names, right=False).astype(object)
    counts = binned.where(series.notna(), "missing").value_counts()
    return {str(k): n / total for k, n in counts.items()}


def _shown(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)
