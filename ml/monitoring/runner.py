"""Run every enabled monitor once over the prediction log; the caller schedules and alerts."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from ml.monitoring.checks import ServingSource, check
from ml.monitoring.definitions import MonitorDefinitions
from ml.monitoring.kinds import kind_of
from ml.monitoring.reference import Reference
from ml.monitoring.results import MonitorResult
from ml.spec import ModelSpec

log = logging.getLogger(__name__)

WindowReader = Callable[..., pd.DataFrame]  # (sessions, minutes, *, now) -> frame


@dataclass(frozen=True)
class Champion:
    """The version being served and when it became champion (None: not recorded)."""

    version: str
    since: datetime | None = None


def run(sessions, reference: Reference | None, definitions: MonitorDefinitions, *,
        read_window: WindowReader | None = None, serving: ServingSource | None = None,
        now: datetime | None = None, champion: Champion | None = None,
        spec: ModelSpec | None = None) -> list[MonitorResult]:
    """Check each enabled monitor; each distinct window is read from the log once.

    With `spec`, the windows hold that model's rows only (`read_window` is given it);
    without, the default model's.

    `read_window` defaults to `ml.serving.prediction_log.window`; `serving(minutes)` returns the
    API's request, error and load-failure counts over that many minutes (None: unknown).
    With `champion`, the kinds that judge the model (`judges_model`) see only the rows
    that version served since it became champion: a retired version's rows still in the
    window say nothing about the model now served.
    """
    if read_window is None:
        from ml.serving.prediction_log import window as read_window
    frames: dict[int, pd.DataFrame] = {}
    results = []
    model = {"spec": spec} if spec is not None else {}
    for definition in definitions.enabled:
        minutes = definition.window_minutes
        if minutes not in frames:
            frames[minutes] = read_window(sessions, minutes, now=now, **model)
        frame = frames[minutes]
        if champion is not None and definition.declared.judges_model:
            frame = served_by(frame, champion)
        started = time.perf_counter()
        checked = check(definition, frame, reference, serving)
        log.info("monitor %s%s: %s (value %s, %d rows, %.3f s)", checked.name,
                 f" of {spec.name}" if spec is not None else "", checked.state,
                 checked.value, checked.rows, time.perf_counter() - started)
        results.append(checked)
    return results


def served_by(frame: pd.DataFrame, champion: Champion) -> pd.DataFrame:
    """Return the rows `champion` served since it became champion."""
    rows = frame[frame["model_version"].astype(str) == str(champion.version)]
    if champion.since is not None and "created_at" in rows:
        rows = rows[pd.to_datetime(rows["created_at"], utc=True) >= champion.since]
    return rows


def report_path(reference: Reference, checked: MonitorResult, directory, *,
                now: datetime | None = None):
    """Return where a fired result's report of record goes; None for a kind without one."""
    if kind_of(checked.kind).report is None:
        return None
    from pathlib import Path

    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
    owner = f"{reference.spec.name}." if reference.spec is not None else ""
    return Path(directory) / f"{owner}{checked.name}-{stamp}.html"


def report_of_record(sessions, reference: Reference, checked: MonitorResult, directory, *,
                     read_window: WindowReader | None = None,
                     now: datetime | None = None):
    """Write the kind's report of record (data drift: Evidently's HTML) for a result that fired.

    Return its path (`report_path`); None for a kind that declares no report. Call it on a
    "fire" event, not every check.
    """
    path = report_path(reference, checked, directory, now=now)
    if path is None:
        return None
    if read_window is None:
        from ml.serving.prediction_log import window as read_window
    model = {"spec": reference.spec} if reference.spec is not None else {}
    frame = read_window(sessions, checked.window_minutes, now=now, **model)
    return kind_of(checked.kind).report(reference, frame, path)
