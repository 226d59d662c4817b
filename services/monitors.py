"""Run the monitors over the prediction log, keep their states, and raise alerts when they fire."""

import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from core import monitor_states
from core.alerts import from_medic
from core.errors import NotFound
from ml.monitoring import definitions, hysteresis, reference, runner
from ml.monitoring.checks import ServingSource
from ml.monitoring.hysteresis import MonitorState
from ml.monitoring.results import MonitorResult
from services.alerts import submit_alerts
from services.context import Medic

log = logging.getLogger(__name__)

REPORT_NAME = re.compile(r"^[a-z0-9_]{1,64}-\d{8}T\d{6}\.html$")
REPORTS_ROUTE = "/v1/monitors/reports"
_references: dict[tuple, reference.Reference] = {}  # (model, version, data dir): built once
_building = threading.Lock()


def run_checks(medic: Medic, *, serving: ServingSource | None = None,
               now: datetime | None = None) -> list[MonitorResult]:
    """Check every enabled monitor once; alert on firing and resolved ones; return the results."""
    now = now or medic.clock()
    defs = definitions.load(medic.settings.monitors_config)
    ref = champion_reference(medic)
    results = runner.run(medic.sessions, ref, defs, serving=serving, now=now)
    states = {name: MonitorState.model_validate(fields)
              for name, fields in monitor_states.load(medic.sessions).items()}
    states, events = hysteresis.advance(states, results, defs)
    monitor_states.save(medic.sessions, {n: s.model_dump() for n, s in states.items()})
    monitor_states.save_results(medic.sessions, {r.name: r.model_dump(mode="json")
                                                 for r in results}, now=now)
    monitor_states.append_history(medic.sessions, [
        {"name": r.name, "state": r.state, "value": r.value, "points": r.points()}
        for r in results], now=now)
    for checked, event in events:
        _raise(medic, ref, checked, event, now)
    return results


def scheduled(medic: Medic, *, serving: ServingSource | None = None) -> Callable[[], None]:
    """Return what a worker calls on each tick: run the checks when this interval is ours."""
    def tick() -> None:
        interval = medic.settings.monitor_interval_seconds
        if not monitor_states.claim_run(medic.sessions, now=medic.clock(),
                                        interval_seconds=interval):
            return
        try:
            run_checks(medic, serving=serving)
        except NotFound as error:  # no champion yet: nothing to watch
            log.info("monitors skipped: %s", error)
    return tick


def champion_reference(medic: Medic) -> reference.Reference:
    """Return the champion's reference: its training split and hold-out scores (cached)."""
    from ml import data
    from ml.training_config import TrainingConfig

    registry = medic.registry
    version = registry.alias("champion")
    if version is None:
        raise NotFound("no champion model yet: train one with `medic train`")
    key = (registry.name, version, str(medic.settings.data_dir))
    with _building:
        if key not in _references:
            from ml.fastpath import compile_scorer

            config = TrainingConfig.from_settings(medic.settings)
            frame = data.load_site(medic.settings.data_dir, config.site)
            _references[key] = reference.build(frame, compile_scorer(registry.load(version)),
                                               config)
            log.info("monitor reference built for %s version %s", registry.name, version)
        return _references[key]


def report_path(medic: Medic, name: str) -> Path:
    """Return a kept report's file by its name; anything but a report's name is not found."""
    folder = reports_dir(medic)
    if not REPORT_NAME.fullmatch(name) or not (folder / name).is_file():
        raise NotFound(f"no monitor report {name[:80]!r}")
    return folder / name


def reports_dir(medic: Medic) -> Path:
    """Return the folder the reports of record are kept in."""
    return medic.settings.home / "reports"


def _raise(medic: Medic, ref, checked: MonitorResult, event: str, now: datetime) -> None:
    payload = checked.to_alert("firing" if event == "fire" else "resolved")
    payload["source"] = "monitor"
    payload["labels"]["model"] = medic.registry.name
    if event == "fire":
        path = runner.report_of_record(medic.sessions, ref, checked, reports_dir(medic),
                                       now=now)
        if path is not None:
            payload["annotations"]["report"] = f"{REPORTS_ROUTE}/{Path(path).name}"
    try:
        accepted = submit_alerts(medic, from_medic(payload), actor="monitor")
    except NotFound:  # resolved, but its incident is gone: nothing to resolve
        log.warning("monitor %s resolved with no incident to close", checked.name)
        return
    log.warning("monitor %s %s: incident %d", checked.name,
                "fired" if event == "fire" else "resolved", accepted.incidents[0].incident_id)
