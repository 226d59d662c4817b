"""The app's composition root: build what it needs once, in its lifespan; tear it down.

What a prediction needs (database, serving model, prediction log) opens before the server
listens; the agent (LangGraph, checkpointer, MLflow) and its worker open on a background
thread after, so `/ready` does not wait for them. Work stored meanwhile waits in the
database; a service that needs the agent waits for it (503 past a minute). On the embedded
default the worker is a child process, and this process opens an agent only when a service
first asks for one.
"""

import logging
import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import sessionmaker

from api.metrics import Metrics, ServingWindows
from api.security import FailureLimiter, KeyCache, RateLimiter
from core.errors import Unavailable
from core.heap import freeze_startup_objects
from core.settings import Settings
from ml.serving.fleet import Fleet, Served
from ml.serving.model import ServingModel
from ml.serving.prediction_log import PredictionLog
from ml.serving.shadow import Shadow
from services.context import Medic
from services.reports.gate import gate_for

if TYPE_CHECKING:  # the agent opens after start-up, on a thread of its own
    from agent_graph.runtime.runner import Agent
    from agent_graph.runtime.worker import Worker
    from ml.registry.aliases import Registry
    from services.processes.agent_worker import WorkerProcess
    from services.training import Training

log = logging.getLogger(__name__)

AGENT_WAIT_SECONDS = 60.0
_SCHEMA = threading.Lock()  # one app's schema set-up at a time (PostgreSQL refuses racing DDL)


@dataclass
class AppRoot:
    """The app's long-lived objects, built once in its lifespan.

    The `Medic` context the service functions act on (routes take it as `MedicDep`), and
    what only HTTP needs: the served models, the prediction log, metrics, keys, limits.
    """

    settings: Settings
    medic: Medic
    fleet: Fleet
    predictions: PredictionLog
    metrics: Metrics
    keys: KeyCache
    limiter: RateLimiter
    webhook_failures: FailureLimiter
    training: "Training | None" = None
    """The models without a champion that this process trains in the background."""
    shadow: Shadow | None = None
    """Scores live rows with the model that did not answer them; routes the canary."""
    _stack: ExitStack = field(default_factory=ExitStack, repr=False)
    worker_process: "WorkerProcess | None" = None
    """The agent worker's child process, when it runs in one (`worker_process`)."""
    _worker: "Worker | None" = field(default=None, repr=False)
    _opened: threading.Event = field(default_factory=threading.Event, repr=False)
    _opener: threading.Thread | None = field(default=None, repr=False)
    _on_demand: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def serving(self) -> ServingModel:
        """Return the default model's serving model (today's routes serve it)."""
        return self.fleet.default.serving

    def served(self, name: str) -> Served:
        """Return a known model (NotFound names the known ones)."""
        return self.fleet.get(name)

    @property
    def sessions(self) -> sessionmaker:
        """Return the app database's session factory."""
        return self.medic.sessions

    @property
    def registry(self) -> "Registry":
        """Return the model registry."""
        return self.medic.registry

    @property
    def agent(self) -> "Agent | None":
        """Return the agent, waiting for it while it opens after start-up."""
        return self.medic.ensure_agent()

    @property
    def worker(self) -> "Worker | None":
        """Return this process's agent worker (None if it runs elsewhere), once opened."""
        self._wait_for_agent()
        return self._worker

    def open_agent(self) -> None:
        """Open the agent and start its worker on a background thread."""
        self.medic._open_agent = self._wait_for_agent
        self._opener = threading.Thread(target=self._open_agent, name="agent-opener",
                                        daemon=True)
        self._opener.start()

    def close(self) -> None:
        """Stop the background work (writing the queued predictions), then close stores."""
        if self._opener is not None:
            self._opener.join()
        if self.training is not None:
            self.training.close()
        self.fleet.close()
        if self.shadow is not None:
            self.shadow.close()
        if self._worker is not None:
            self._worker.close()
        self.predictions.close()
        if self.medic.intake is not None:
            self.medic.intake.close()
        self._stack.close()
        log.info("medic stopped; %d predictions logged", self.predictions.written)

    def _open_agent(self) -> None:
        settings = self.settings
        try:
            if settings.run_worker and settings.worker_process:
                # the child runs the agent; this process opens one only when a service
                # asks (pruning checkpoints, an LLM's chat): most serving processes never do
                self._start_worker_process()
                freeze_startup_objects("agent worker started")
                return
            agent = self._enter_agent()
            if settings.run_worker:
                self._start_worker_thread(agent)
            log.info("agent ready")
            freeze_startup_objects("agent opened")
        except Exception:  # the API keeps predicting; agent services answer 503
            log.error("the agent could not be opened", exc_info=True)
        finally:
            self._opened.set()
            self.fleet.start_others()  # after start-up: the server answers meanwhile
            if self.training is not None:
                self.training.start()

    def _enter_agent(self) -> "Agent":
        from agent_graph.runtime.runner import open_agent

        with _SCHEMA:
            agent = self._stack.enter_context(open_agent(self.settings, clock=self.medic.clock))
        self.medic.agent = agent
        return agent

    def _monitor(self):
        """Return the monitors' scheduled checks; they run here, where the counters are."""
        from services.monitors import run as monitors

        return monitors.scheduled(self.medic, serving=ServingWindows(self.metrics))

    def _start_worker_thread(self, agent: "Agent") -> None:
        from services.processes.agent_worker import build_worker

        self._worker = build_worker(agent, self.medic, self.settings, monitor=self._monitor())
        self._worker.start()

    def _start_worker_process(self) -> None:
        """Start the agent worker's child, and tick the monitors' job here."""
        from core.periodic import Ticker, Timetable
        from services.processes.agent_worker import WorkerProcess

        child = WorkerProcess(self.settings, self.medic.sessions)
        child.start()
        self.medic.on_work = child.nudge
        ticker = Ticker(Timetable([self._monitor().job]), self.medic.sessions,
                        self.medic.clock)
        ticker.start()
        self._stack.callback(child.close)  # closed after the ticker: LIFO
        self._stack.callback(ticker.close)
        self.worker_process = child

    def _wait_for_agent(self) -> None:
        if self._opened.wait(AGENT_WAIT_SECONDS) and self.medic.agent is None \
                and self.worker_process is not None:
            with self._on_demand:  # one caller opens it; the others wait for that
                if self.medic.agent is None:
                    try:
                        self._enter_agent()
                        log.info("agent opened in the serving process (asked for by a service)")
                    except Exception:
                        log.error("the agent could not be opened", exc_info=True)
        if not self._opened.is_set() or self.medic.agent is None:
            raise Unavailable("the agent is not ready: it is still starting, or failed to "
                              "open (see the server log)")


def start(settings: Settings) -> AppRoot:
    """Open what predictions need, start the background work, then open the agent."""
    from core.channels import configured, describe
    from ml.registry.aliases import open_registry

    (log.info if configured(settings) else log.warning)(describe(settings))
    with _SCHEMA:
        registry = open_registry(settings)  # the app database now; MLflow only on first use
    sessions = registry.sessions
    if settings.run_worker and settings.profile == "embedded":
        _take_over_leases(sessions)
    medic = Medic(settings=settings, sessions=sessions, _registry=registry)
    if settings.ingest_process:
        from services.processes.intake import IntakeProcess

        medic.intake = IntakeProcess(settings)
        medic.intake.start()
    metrics = Metrics(sessions, settings.default_model)
    fleet = Fleet(settings, registry, on_load_failure=metrics.failed_load,
                  on_reload=metrics.serving)
    fleet.load()
    for served in fleet:
        served.counted = metrics.counting(served.name, classifier=served.classifier)
    fleet.on_added = lambda served: setattr(  # a spec added while running: counted too
        served, "counted", metrics.counting(served.name, classifier=served.classifier))
    if fleet.default.serving.current is not None:
        metrics.serving(fleet.default_name, fleet.default.serving.current.version)
    metrics.counted = fleet.default.counted
    root = AppRoot(
        settings=settings, medic=medic, fleet=fleet, training=_training(settings, fleet),
        predictions=PredictionLog(sessions, interval=settings.log_flush_seconds,
                                  spill=settings.home / "prediction-spill.jsonl"),
        metrics=metrics, keys=KeyCache(sessions),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        webhook_failures=FailureLimiter(settings.webhook_failures_per_minute),
    )
    root.shadow = _shadow(medic, fleet)
    metrics.watch_log(root.predictions)
    metrics.watch_reports(gate_for(settings))
    root.predictions.start()
    root.shadow.start()
    fleet.start()
    root.open_agent()
    return root


def _shadow(medic: Medic, fleet: Fleet) -> Shadow:
    """Return the shadow scorer over the fleet.

    Rollouts are read at most once a second per model; its automatic aborts go through the
    service, so they are audited and notified like a person's.
    """
    from core.rollouts import RolloutCache
    from services import rollouts

    return Shadow(medic.sessions, RolloutCache(medic.sessions), fleet=fleet,
                  abort=lambda model, revision, reason: rollouts.abort_automatically(
                      medic, model, revision, reason))


def _training(settings: Settings, fleet: Fleet) -> "Training | None":
    """Return the background training of the models with no champion, if there are any."""
    from services.training import Training, to_train

    names = to_train(settings, [s.spec for s in fleet],
                     lambda spec: fleet.get(spec.name).registry.recorded_champion())
    return Training(settings, names) if names else None


def _take_over_leases(sessions) -> None:
    """Free what a stopped worker held, now: the sole worker of the embedded profile.

    Done before the server listens, not when the worker opens a little later, so a lease
    taken meanwhile (by another process on the same database) is never taken from it.
    """
    from core import work

    freed = work.abandon_leases(sessions)
    if freed:
        log.warning("took over %d incident(s) a stopped worker held", freed)
