"""Build what the app needs once, in its lifespan, and tear it down cleanly."""

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field

from agent_graph.worker import Worker
from api.metrics import Metrics
from api.security import KeyCache, RateLimiter
from ml.prediction_log import PredictionLog
from ml.serving import ModelWatcher

log = logging.getLogger(__name__)


@dataclass
class Services:
    """The app's long-lived objects (replace in tests with dependency overrides)."""

    settings: object
    agent: object
    sessions: object
    registry: object
    serving: object
    predictions: PredictionLog
    worker: Worker
    watcher: ModelWatcher
    metrics: Metrics
    keys: KeyCache
    limiter: RateLimiter
    _stack: ExitStack = field(default_factory=ExitStack, repr=False)

    def close(self) -> None:
        """Stop the background work (writing the queued predictions), then close stores."""
        self.watcher.close()
        self.worker.close()
        self.predictions.close()
        self._stack.close()
        log.info("medic stopped; %d predictions logged", self.predictions.written)


def start(settings) -> Services:
    """Open the agent (database, registry, checkpointer) and start the background work."""
    from agent_graph.runner import open_agent

    stack = ExitStack()
    agent = stack.enter_context(open_agent(settings))
    context = agent.context
    registry, serving = context.tools.registry, context.tools.serving
    metrics = Metrics(context.sessions)
    loaded = serving.reload()
    if loaded is not None:
        metrics.serving(registry.name, loaded.version)
    services = Services(
        settings=settings, agent=agent, sessions=context.sessions, registry=registry,
        serving=serving,
        predictions=PredictionLog(context.sessions, interval=settings.log_flush_seconds),
        worker=Worker(agent, poll_seconds=settings.worker_poll_seconds),
        watcher=ModelWatcher(serving, poll_seconds=settings.reload_seconds,
                             on_reload=lambda version: metrics.serving(registry.name, version)),
        metrics=metrics, keys=KeyCache(context.sessions),
        limiter=RateLimiter(settings.rate_limit_per_minute), _stack=stack,
    )
    services.predictions.start()
    services.worker.start()
    services.watcher.start()
    return services
