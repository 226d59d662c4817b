"""Run every enabled monitor once over the prediction log; the caller schedules and alerts."""

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd

from ml.monitoring.checks import ServingSource, check
from ml.monitoring.definitions import MonitorDefinitions
from ml.monitoring.reference import Reference
from ml.monitoring.results import MonitorResult

log = logging.getLogger(__name__)

WindowReader = Callable[..., pd.DataFrame]  # (sessions, minutes, *, now) -> frame


def run(sessions, reference: Reference | None, definitions: MonitorDefinitions, *,
        read_window: WindowReader | None = None, serving: ServingSource | None = None,
        now: datetime | None = None) -> list[MonitorResult]:
    """Check each enabled monitor; each distinct window is read from the log once.

    `read_window` defaults to `ml.prediction_log.window`; `serving(minutes)` returns the
    API's request, error and load-failure counts over that many minutes (None: unknown).
    """
    if read_window is None:
        from ml.prediction_log import window as read_window
    frames: dict[int, pd.DataFrame] = {}
    results = []
    for definition in definitions.enabled:
        minutes = definition.window_minutes
        if minutes not in frames:
            frames[minutes] = read_window(sessions, minutes, now=now)
        started = time.perf_counter()
        checked = check(definition, frames[minutes], reference, serving)
        log.info("monitor %s: %s (value %s, %d rows, %.3f s)", checked.name, checked.state,
                 checked.value, checked.rows, time.perf_counter() - started)
        results.append(checked)
    return results


def report_of_record(sessions, reference: Reference, checked: MonitorResult, directory, *,
                     read_window: WindowReader | None = None,
                     now: datetime | None = None):
    """Write Evidently's HTML report for a data-drift result that fired; return its path.

    Other kinds have no Evidently report: None. Call it on a "fire" event, not every check.
    """
    if checked.kind != "data_drift":
        return None
    from pathlib import Path

    from ml.monitoring.report import write_evidently_report

    if read_window is None:
        from ml.prediction_log import window as read_window
    frame = read_window(sessions, checked.window_minutes, now=now)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
    path = Path(directory) / f"{checked.name}-{stamp}.html"
    return write_evidently_report(reference.features, frame, path)
