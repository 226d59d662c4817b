"""Build what the app needs once, in its lifespan, and tear it down cleanly."""

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field

from api.metrics import Metrics, ServingWindows
from api.security import FailureLimiter, KeyCache, RateLimiter
from ml.prediction_log import PredictionLog
from ml.serving import ModelWatcher, ServingModel
from services.context import Medic

log = logging.getLogger(__name__)


@dataclass
class Services:
    """The app's long-lived objects (replace in tests with dependency overrides)."""

    settings: object
    medic: Medic
    serving: object
    predictions: PredictionLog
    watcher: ModelWatcher
    metrics: Metrics
    keys: KeyCache
    limiter: RateLimiter
    webhook_failures: FailureLimiter
    worker: object = None
    _stack: ExitStack = field(default_factory=ExitStack, repr=False)

    @property
    def sessions(self):
        """Return the app database's session factory."""
        return self.medic.sessions

    @property
    def registry(self):
        """Return the model registry."""
        return self.medic.registry

    @property
    def agent(self):
        """Return the agent."""
        return self.medic.agent

    def close(self) -> None:
        """Stop the background work (writing the queued predictions), then close stores."""
        self.watcher.close()
        if self.worker is not None:
            self.worker.close()
        self.predictions.close()
        self._stack.close()
        log.info("medic stopped; %d predictions logged", self.predictions.written)


def start(settings) -> Services:
    """Open the agent (database, registry, checkpointer) and start the background work."""
    from agent_graph.runner import open_agent
    from agent_graph.worker import Worker
    from core.channels import configured, describe

    (log.info if configured(settings) else log.warning)(describe(settings))
    stack = ExitStack()
    agent = stack.enter_context(open_agent(settings))
    context = agent.context
    registry = context.tools.registry
    serving = ServingModel(registry)
    medic = Medic(settings=settings, sessions=context.sessions, clock=context.clock,
                  agent=agent, _registry=registry)
    metrics = Metrics(context.sessions)
    worker = None
    if settings.run_worker:
        from core.outbox import Outbox
        from services import monitors

        worker = Worker(agent, poll_seconds=settings.worker_poll_seconds,
                        lease_seconds=settings.worker_lease_seconds,
                        sole=settings.profile == "embedded",
                        outbox=Outbox.from_settings(context.sessions, settings),
                        monitor=monitors.scheduled(medic, serving=ServingWindows(metrics)))
        medic.worker, medic.on_work = worker, worker.nudge
    loaded = serving.reload()
    if loaded is not None:
        metrics.serving(registry.name, loaded.version)
    services = Services(
        settings=settings, medic=medic, serving=serving,
        predictions=PredictionLog(context.sessions, interval=settings.log_flush_seconds),
        watcher=ModelWatcher(serving, poll_seconds=settings.reload_seconds,
                             on_reload=lambda version: metrics.serving(registry.name, version)),
        metrics=metrics, keys=KeyCache(context.sessions),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        webhook_failures=FailureLimiter(settings.webhook_failures_per_minute), worker=worker,
        _stack=stack,
    )
    services.predictions.start()
    if worker is not None:
        worker.start()
    services.watcher.start()
    return services
