"""Turn rows as callers send them into the scorers' float matrix, and back.

Every scorer reads floats in the spec's feature order, NaN for missing. A category spelled
as text (`"hr": "6am"`) travels as its position in the spec's `categories`; numbers, and
categories that are numbers, travel as themselves. `decode` gives the values back as the
caller sent them, for a pipeline that reads a table and for the prediction log.
"""

from collections.abc import Sequence
from operator import attrgetter

import numpy as np

from ml.spec import ModelSpec


class Rows:
    """One model's rows as floats: its feature order and its text categories' positions."""

    def __init__(self, spec: ModelSpec) -> None:
        self.names = spec.feature_names
        self.coded = {f.name: tuple(f.categories) for f in spec.features
                      if f.is_categorical and not f.is_numeric_valued}
        """Feature -> its text categories, in the spec's order (position = code)."""
        self._codes = [(self.names.index(name), {c: float(i) for i, c in enumerate(values)})
                       for name, values in self.coded.items()]
        self._values = attrgetter(*self.names) if len(self.names) > 1 else \
            (lambda row, get=attrgetter(self.names[0]): (get(row),))

    def matrix(self, rows: Sequence) -> np.ndarray:
        """Return validated rows (objects with one attribute per feature) as floats."""
        values = [self._values(r) for r in rows]
        if self._codes:
            values = [list(v) for v in values]
            for row in values:
                for at, codes in self._codes:
                    row[at] = codes.get(row[at])  # None (missing) stays None
        try:
            return np.array(values, dtype=float)
        except TypeError:  # some values are missing
            return np.array([[np.nan if v is None else v for v in row] for row in values],
                            dtype=float)

    def encode(self, table) -> np.ndarray:
        """Return a table of the caller's values (a DataFrame, the features' columns) as floats."""
        coded = table.loc[:, list(self.names)].copy()
        for name, values in self.coded.items():
            coded[name] = coded[name].map({c: float(i) for i, c in enumerate(values)})
        return coded.to_numpy("float64")

    def decode(self, x: np.ndarray) -> list[dict]:
        """Return float rows as the caller's values by feature name (None where missing)."""
        decoded = []
        for row in x.tolist():
            named = {n: (None if v != v else v) for n, v in zip(self.names, row, strict=True)}
            for name, values in self.coded.items():
                if named[name] is not None:
                    named[name] = values[int(named[name])]
            decoded.append(named)
        return decoded

    def frame(self, x: np.ndarray):
        """Return float rows as a table with the caller's values (what a pipeline reads)."""
        import pandas as pd

        frame = pd.DataFrame(self.decode(x), columns=list(self.names))
        return frame.astype({n: "float64" for n in self.names if n not in self.coded})
