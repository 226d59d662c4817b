"""Write the Evidently HTML drift report of record, only when asked (a monitor fired)."""

import logging
import os
import warnings
from pathlib import Path

import pandas as pd

from ml.monitoring.drift import feature_kinds
from ml.spec import ModelSpec

log = logging.getLogger(__name__)


def write_evidently_report(reference: pd.DataFrame, current: pd.DataFrame,
                           path: Path | str, spec: ModelSpec | None = None) -> Path:
    """Run Evidently's DataDriftPreset with the spec's column types; save its HTML at `path`.

    Columns with no values on either side are left out: Evidently cannot test them
    (Medic's own check counts such a column as drifted).
    """
    os.environ.setdefault("DO_NOT_TRACK", "true")
    from evidently import Dataset, Report
    from evidently.presets import DataDriftPreset

    columns = [c for c in feature_kinds(spec)
               if reference[c].notna().any() and current[c].notna().any()]
    definition = evidently_definition(columns, spec)
    with warnings.catch_warnings():  # a column constant in the window: NumPy's "invalid
        warnings.simplefilter("ignore", RuntimeWarning)  # value in divide", once per column,
        snapshot = Report([DataDriftPreset(columns=columns)]).run(  # in the server's log
            Dataset.from_pandas(current.loc[:, columns], data_definition=definition),
            Dataset.from_pandas(reference.loc[:, columns], data_definition=definition))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    snapshot.save_html(str(path))
    path.chmod(0o600)  # the drift report shows patients' features
    log.info("drift report of record written: %s (%d rows)", path.name, len(current))
    return path


def evidently_definition(columns, spec: ModelSpec | None = None):
    """Return Evidently's DataDefinition typing `columns` as the spec does."""
    from evidently import DataDefinition

    kinds = feature_kinds(spec)
    return DataDefinition(
        numerical_columns=[c for c in columns if kinds[c] == "numerical"],
        categorical_columns=[c for c in columns if kinds[c] == "categorical"])
