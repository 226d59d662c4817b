"""Run the monitors over the prediction log, keep their states, and raise alerts when they fire."""

import logging
import re
import stat
import threading
from datetime import datetime
from pathlib import Path

from core import monitor_states
from core.alerts import from_medic
from core.clock import utcnow
from core.errors import ModelLoadError, NotFound
from core.periodic import PeriodicJob
from ml.monitoring import definitions, hysteresis, reference, runner
from ml.monitoring.checks import ModelServing
from ml.monitoring.health import ServingCounts
from ml.monitoring.hysteresis import MonitorState
from ml.monitoring.results import MonitorResult
from ml.spec import of as spec_of
from services import watched
from services.alerts import submit_alerts
from services.context import Medic
from services.monitors import incidents as monitor_incidents
from services.processes.background import ChildJob

log = logging.getLogger(__name__)

REPORT_NAME = re.compile(r"^([a-z0-9][a-z0-9-]{0,62}\.)?[a-z0-9_]{1,64}-\d{8}T\d{6}\.html$")
REPORTS_ROUTE = "/v1/monitors/reports"
FIXED = ("resolved", "closed")  # an incident closed as fixed, or with nothing to do
_references: dict[tuple, reference.Reference] = {}  # per database, model, version: built once
_building = threading.Lock()


def run_checks(medic: Medic, *, serving: ModelServing | None = None,
               now: datetime | None = None, model: str | None = None) -> list[MonitorResult]:
    """Check every watched model's monitors once; alert on firing and resolved ones.

    Each model (every spec with a champion or logged rows; or `model` alone) is checked
    over its own rows, against its own champion's reference, with its spec's thresholds;
    its states, results and history are its own, and so are the API's counts of its
    requests, errors and load failures (`serving(minutes, model)`). Return every result
    (each names its model). NotFound when there is no model to watch yet.
    """
    now = now or medic.clock()
    defs = definitions.load(medic.settings.monitors_config)
    found = watched.watched(medic, model)
    if not found:
        raise NotFound("no champion model yet: train one with `medic train`")
    results = []
    for one in found:
        results.extend(_check_model(medic, one, defs, serving=serving, now=now))
    return results


def _check_model(medic: Medic, one: watched.Watched, defs, *, serving: ModelServing | None,
                 now: datetime) -> list[MonitorResult]:
    """Check one model's monitors, keep its states, and raise its alerts."""
    # the API counts each model's requests; a check without its counts (`medic monitor
    # run` in its own process) leaves those monitors as the server last saw them
    mine = defs.for_model(one.spec, serving=serving is not None)
    try:
        ref = champion_reference(medic, one)
    except (ModelLoadError, NotFound) as error:  # the serving checks still run: they say so
        log.error("monitors of %s: %s; the checks against the reference are skipped",
                  one.name, error)
        ref = None
    checked = runner.run(medic.sessions, ref, mine, serving=_of(serving, one.name), now=now,
                         champion=serving_champion(one.registry), spec=one.spec)
    results = [r.model_copy(update={"model": one.name}) for r in checked]
    states = {name: MonitorState.model_validate(fields) for name, fields
              in monitor_states.load(medic.sessions, model=one.name).items()}
    states = _fire_again(medic, one.name, states, results)
    states, events = hysteresis.advance(states, results, mine)
    monitor_states.save(medic.sessions, {n: s.model_dump() for n, s in states.items()},
                        model=one.name)
    monitor_states.save_results(medic.sessions, {r.name: r.model_dump(mode="json")
                                                 for r in results}, now=now, model=one.name)
    monitor_states.append_history(medic.sessions, [
        {"name": r.name, "state": r.state, "value": r.value, "points": r.points()}
        for r in results], now=now, model=one.name)
    for result, event in events:
        _raise(medic, ref, result, event, now)
    return results


def _of(serving: ModelServing | None, model: str):
    """Return the serving source of one model (what its checks read), or None."""
    if serving is None:
        return None
    return lambda minutes: serving(minutes, model)


def scheduled(medic: Medic, *, serving: ModelServing | None = None,
              timeout: float | None = None) -> "Scheduled":
    """Return what a worker calls on each tick: start the checks when this interval is ours."""
    return Scheduled(medic, serving=serving,
                     timeout=timeout or medic.settings.monitor_timeout_seconds)


class Scheduled:
    """The worker's monitor tick: claim the interval, then check in a child process.

    The checks (pandas and SciPy over the window, the reference, Evidently's report when a
    monitor fires) would hold the serving process's GIL; the child holds its own. The
    tick never waits for it: a later tick sees it end, or kills it past `timeout`. No
    interval is claimed while a run is still going. The API's request, error and
    load-failure counts are read here, before the child starts, and handed to it.
    """

    def __init__(self, medic: Medic, *, serving: ModelServing | None, timeout: float) -> None:
        self._medic, self._serving = medic, serving
        self._child = ChildJob("monitor checks", _check_in_child, timeout=timeout)
        self.job = PeriodicJob(monitor_states.SCHEDULE, self._start,
                               every_seconds=medic.settings.monitor_interval_seconds,
                               claimed=True, ready=lambda: not self.running, close=self.close)
        """The worker's periodic job: these checks, once per interval across all workers."""

    def __call__(self) -> None:
        """Start the checks if this interval is ours and none are under way."""
        self.job.run_if_ours(self._medic.sessions, self._medic.clock())

    def _start(self, now: datetime) -> None:
        self._child.start(self._medic.settings, now, self._counts(),
                          logging.getLogger().getEffectiveLevel())

    @property
    def running(self) -> bool:
        """Return whether checks are under way in the child."""
        return self._child.running

    def wait(self, timeout: float) -> bool:
        """Wait for the checks under way to end; return whether none runs now."""
        return self._child.wait(timeout)

    def close(self) -> None:
        """Stop the child at once, cutting short checks under way.

        A check holds nothing to lose: each monitor's result is written in its own
        transaction, and the next interval checks again. Waiting for it instead held every
        shutdown for seconds (a first check also pays the child's imports).
        """
        self._child.close(grace=0)

    def _counts(self) -> dict[tuple[int, str], ServingCounts | None]:
        """Return every known model's counts per serving monitor's window (none: no API)."""
        if self._serving is None:
            return {}
        defs = definitions.load(self._medic.settings.monitors_config)
        windows = {d.window_minutes for d in defs.enabled if d.declared.reads_serving}
        return {(minutes, model): self._serving(minutes, model)
                for minutes in windows for model in watched.known(self._medic)}


def _check_in_child(settings, now: datetime, counts: dict, level: int) -> None:
    """Run the checks in the child process: its own database connections, the given counts."""
    from core.audit_seal import Seal
    from core.db import make_engine, sessions

    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    engine = make_engine(settings.database_url)
    started = utcnow()
    medic = Medic(settings=settings, sessions=sessions(engine, seal=Seal.of(settings)),
                  clock=lambda: now + (utcnow() - started))  # the parent's clock, running on
    try:
        run_checks(medic, now=now, serving=lambda minutes, model: counts.get((minutes, model)))
    except NotFound as error:  # no champion yet: nothing to watch
        log.info("monitors skipped: %s", error)
    finally:
        engine.dispose()


def champion_reference(medic: Medic, one: watched.Watched | None = None
                       ) -> reference.Reference:
    """Return a model's champion reference: its training set and hold-out answers (cached).

    The model is `one` (default: the default model). Data drift compares with the rows the
    champion learnt from: the training set stored with its version (a retrain's
    snapshot), else the training split of its spec's reference data (a model from
    `medic train`). A classifier's hold-out is scored by the champion's fast scorer,
    found through the app database as serving finds it, so a check imports neither
    MLflow nor, mostly, the pipeline; a regressor's is predicted by its pipeline.
    """
    from ml import data
    from ml.training import snapshot as training_set
    from ml.training.config import TrainingConfig

    one = one or _default(medic)
    registry, model = one.registry, one.spec
    champion = registry.champion_artifact()
    if champion is None:
        raise NotFound(f"no champion of {model.name} yet: train one with `medic train`")
    stored = training_set.recorded(medic.sessions, registry.name, champion.version)
    # The app database names whose version this is: two homes in one process (tests, a
    # tool opening another home) never share a reference built for the other's model.
    key = (medic.settings.database_url, registry.name, champion.version,
           str(medic.settings.data_dir), stored.md5 if stored else None,
           model.model_dump_json())
    with _building:
        if key not in _references:
            config = TrainingConfig.splitting(model) if model.external else \
                TrainingConfig.from_settings(medic.settings, model)
            frame = data.reference(model, medic.settings.data_dir)
            if model.task == "regression":
                built = reference.build_regression(
                    frame, _predict(registry, champion, model), config, model)
            else:
                from ml.serving.model import champion_scorer
                from ml.serving.rows import Rows

                rows = Rows(model) if model.external else None
                built = reference.build(frame, champion_scorer(registry, champion, rows=rows),
                                        config, model)
            learnt = training_set.read(stored, model) if stored else None
            if learnt is not None:
                built = reference.with_features(built, learnt, model)
            _references[key] = built
            log.info("monitor reference built for %s version %s (training rows: %s)",
                     registry.name, champion.version,
                     f"stored set, {len(built.features)}" if learnt is not None
                     else f"{config.site} split, {len(built.features)}")
        return _references[key]


def _default(medic: Medic) -> watched.Watched:
    name = medic.settings.default_model
    return watched.Watched(spec=spec_of(medic.settings, name), registry=medic.registry,
                           default=True)


def _predict(registry, champion, spec):
    """Return a regressor champion's `predict` over a table, as the model was logged.

    Medic's own: its pipeline, from its files else through MLflow; an external model: as
    its team logged it (any flavour, `ml.serving.external`).
    """
    from ml.serving import external
    from ml.serving.model import _cannot_load, load_artifact
    from ml.serving.rows import Rows

    try:
        if spec.external:
            return external.predictor(external.load(registry, champion), Rows(spec))
        model = load_artifact(champion.uri) if champion.uri else None
        return (model if model is not None else registry.load(champion.version)).predict
    except Exception as error:  # as in ServingModel: whatever broke, the load failed
        raise _cannot_load(registry, champion, error) from error


def report_path(medic: Medic, name: str) -> Path:
    """Return a kept report's file by its name; anything but a report's name is not found.

    A link is not a report: a symbolic link (or a second hard link) placed in the folder
    could point at any file the service can read, so it is refused before anything is read.
    """
    folder = reports_dir(medic)
    if not REPORT_NAME.fullmatch(name) or not _plain_file(folder / name):
        raise NotFound(f"no monitor report {name[:80]!r}")
    return folder / name


def _plain_file(path: Path) -> bool:
    """Say whether `path` is a regular file itself: no symbolic link, no other hard link."""
    try:
        found = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and found.st_nlink == 1


def reports_dir(medic: Medic) -> Path:
    """Return the folder the reports of record are kept in."""
    return medic.settings.home / "reports"


def serving_champion(registry) -> runner.Champion | None:
    """Return the champion and when it became champion, from the app database's history."""
    found = registry.champion_artifact()
    if found is None:
        return None
    moved = [h for h in registry.history()
             if h.alias == "champion" and h.version == found.version]
    return runner.Champion(version=found.version, since=moved[-1].at if moved else None)


def _fire_again(medic: Medic, model: str, states: dict[str, MonitorState],
                results: list[MonitorResult]) -> dict[str, MonitorState]:
    """Let a monitor whose incident was closed as fixed while it still breaches fire anew.

    A firing monitor stays red only beside an incident about it that is open or being
    verified: once that incident is closed as fixed (or with nothing to do) and the check
    still breaches, the monitor starts counting again and opens a new incident after
    `fire_after` checks. An incident handed to people (escalated, failed, rejected,
    expired, recommended) stays the one the monitor names: firing anew would open one
    incident after another for what people already hold. A check that is ok resolves the
    monitor as before, into its incident; too little data changes nothing.
    """
    breaching = [r for r in results if r.state in ("warning", "critical")
                 and states.get(r.name, MonitorState()).firing]
    if not breaching:
        return states
    found = monitor_incidents.newest(medic.sessions, breaching, model)
    again = {r.name for r in breaching if found.get(r.name, {}).get("state") in FIXED}
    for name in sorted(again):
        log.warning("monitor %s of %s still breaches after incident %d closed (%s): firing "
                    "anew", name, model, found[name]["id"], found[name]["state"])
    return {name: MonitorState() if name in again else state for name, state in states.items()}


def _raise(medic: Medic, ref, checked: MonitorResult, event: str, now: datetime) -> None:
    """Send a monitor's alert; on a fire, then write its report of record.

    The alert goes first, naming the report it will have: the monitor is saved red already,
    and until its alert is stored the monitor has no incident to name (Evidently's import
    and report take seconds). A report that cannot be written costs the incident nothing.
    """
    payload = monitor_incidents.alert(checked, checked.model,
                                      "firing" if event == "fire" else "resolved")
    path = runner.report_path(ref, checked, reports_dir(medic), now=now) \
        if event == "fire" else None
    if path is not None:
        payload["annotations"]["report"] = f"{REPORTS_ROUTE}/{Path(path).name}"
    try:
        accepted = submit_alerts(medic, from_medic(payload), actor="monitor")
    except NotFound:  # resolved, but its incident is gone: nothing to resolve
        log.warning("monitor %s of %s resolved with no incident to close", checked.name,
                    checked.model)
        return
    log.warning("monitor %s of %s %s: incident %d", checked.name, checked.model,
                "fired" if event == "fire" else "resolved", accepted.incidents[0].incident_id)
    if path is None:
        return
    try:
        runner.report_of_record(medic.sessions, ref, checked, reports_dir(medic), now=now)
    except Exception as error:  # the alert is stored: its report's link then answers 404
        log.error("monitor %s of %s: its report of record could not be written (%s)",
                  checked.name, checked.model, type(error).__name__)
