"""Declare a kind of monitor once: what it measures, how it is judged, alerted and drawn.

Every place that used to keep a per-kind table (direction, alert type, value name, which
kinds need the reference, read the API's counts or judge only the champion's rows, which
chart shows them, which write a report when they fire) reads the kind's declaration
instead. A new kind is one module in `ml/monitoring/kinds/` holding a `MonitorKind`, plus
its line in `KINDS` (`ml/monitoring/kinds/__init__.py`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the kinds' modules import these; at run time nothing is needed here
    import pandas as pd

    from ml.monitoring.definitions import MonitorDefinition
    from ml.monitoring.health import ServingCounts
    from ml.monitoring.reference import Reference
    from ml.monitoring.results import MonitorResult

ServingSource = Callable[[int], "ServingCounts | None"]
"""The checked model's requests, errors and load failures as the API counted them over so
many minutes (None: unknown)."""
ModelServing = Callable[[int, str], "ServingCounts | None"]
"""The same counts for any model: (minutes, model) -> counts (`ServingSource` of each)."""
Check = Callable[["MonitorDefinition", "pd.DataFrame", "Reference | None",
                  "ServingSource | None"], "MonitorResult"]
"""Measure one monitor over its window: (definition, window, reference, serving) -> result."""
Report = Callable[["Reference", "pd.DataFrame", Path], Path]
"""Write a report of record for a check that fired: (reference, window, path) -> path."""
Chart = Literal["drift", "estimate", "value"]


@dataclass(frozen=True)
class MonitorKind:
    """One kind of monitor, as everything else reads it.

    `measures` says in a line what the value is, for whoever reads the declaration.
    `direction`: "above" when a larger value is worse, "below" when a smaller one is, or
    "metric" when the definition's metric says (an error such as MAE: above; a score: below).
    `alert_type`: the alert type a firing reports (the agent's rules read it).
    `value_name`: the name the value goes by in the alert (`drift_share`...), or a function
    of the definition when it depends on it (`f1` or `accuracy`).
    `needs_reference`: compares with the champion's reference (no value without one).
    `reads_serving`: reads the API's own counts, handed to the check by the worker.
    `judges_model`: sees only the rows the champion served since it became champion.
    `chart`: the console chart it feeds: "drift" (the per-feature heatmap), "estimate"
    (the estimated F1 line), "value" (a line of its own value), or None (the table only).
    `report`: writes a report of record when a monitor of this kind fires.
    `refuse`: returns why a definition cannot work with this kind ("" when it can).
    `tasks`: the model tasks it watches (`binary_classification`, `regression`).
    """

    name: str
    measures: str
    check: Check
    direction: Literal["above", "below", "metric"]
    alert_type: Literal["drift", "performance", "system_error"]
    value_name: str | Callable[["MonitorDefinition"], str]
    needs_reference: bool = False
    reads_serving: bool = False
    judges_model: bool = False
    chart: Chart | None = None
    report: Report | None = None
    refuse: Callable[["MonitorDefinition"], str] | None = None
    tasks: tuple[str, ...] = ("binary_classification", "regression")

    def direction_of(self, definition: "MonitorDefinition") -> Literal["above", "below"]:
        """Return the direction a monitor of this kind is judged in."""
        if self.direction != "metric":
            return self.direction
        from ml.spec import higher_is_better

        return "below" if higher_is_better(definition.metric) else "above"

    def value_name_of(self, definition: "MonitorDefinition") -> str:
        """Return the name a monitor's value goes by in its alert."""
        if callable(self.value_name):
            return self.value_name(definition)
        return self.value_name


def by_name(*kinds: MonitorKind) -> dict[str, MonitorKind]:
    """Return the kinds keyed by name; refuse two kinds of one name."""
    found: dict[str, MonitorKind] = {}
    for kind in kinds:
        if kind.name in found:
            raise ValueError(f"two monitor kinds are called {kind.name!r}")
        found[kind.name] = kind
    return found
