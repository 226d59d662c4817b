"""Check one monitor over a window of the prediction log, by its kind's declared check."""

import pandas as pd

from ml.monitoring.definitions import MonitorDefinition
from ml.monitoring.kind import ModelServing, ServingSource
from ml.monitoring.reference import Reference
from ml.monitoring.results import MonitorResult, result

__all__ = ["ModelServing", "ServingSource", "check"]


def check(definition: MonitorDefinition, window: pd.DataFrame, reference: Reference | None,
          serving: ServingSource | None = None) -> MonitorResult:
    """Measure `definition` on `window` (rows from `ml.serving.prediction_log.window`).

    Without a reference (the champion could not be loaded) the kinds that compare with
    one have no value; the serving checks still run, load failures among them.
    """
    kind = definition.declared
    if reference is None and kind.needs_reference:
        return result(definition, rows=len(window), value=None,
                      note="no reference: the champion could not be loaded")
    return kind.check(definition, window, reference, serving)
