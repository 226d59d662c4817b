"""Build what the service functions act on, once per process, for every interface."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import sessionmaker

from core.clock import Clock, utcnow
from core.group_commit import GroupCommit
from core.ingest import Ingested, Submission, ingest_together
from core.settings import Settings

if TYPE_CHECKING:  # opened on first use: never imported on the API's start-up path
    from agent_graph.runtime.runner import Agent
    from agent_graph.runtime.worker import Worker
    from ml.registry.aliases import Registry

GROUP_ALERTS = 1000  # alerts stored in one transaction at most (one payload may hold more)


class Intake(Protocol):
    """Stores webhook bodies somewhere else (`services.processes.intake`, the API's child)."""

    async def store(self, body: bytes, *, format: str,
                    signature: str | None) -> list[Ingested]:
        """Store a body's alerts all or nothing; return where each went."""

    def close(self) -> None:
        """Stop storing (the child exits)."""


@dataclass
class Medic:
    """The app database, the registry, the agent and its worker, the clock.

    Service functions take it as their first argument. The registry and the agent are
    opened on first use, so a command that only reads incidents pays for neither.
    """

    settings: Settings
    sessions: sessionmaker
    clock: Clock = utcnow
    agent: "Agent | None" = None
    worker: "Worker | None" = None
    on_work: Callable[[], None] = lambda: None
    intake: Intake | None = None
    _registry: "Registry | None" = None
    _open_agent: Callable[[], None] | None = field(default=None, repr=False)
    _intake: GroupCommit = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._intake = GroupCommit(self._ingest_together, limit=GROUP_ALERTS,
                                   weight=lambda submission: len(submission.alerts))

    def ingest(self, submission: Submission) -> list[Ingested]:
        """Store one payload all or nothing, in one transaction with those sent meanwhile."""
        return self._intake.submit(submission)

    def _ingest_together(self, submissions: list[Submission]) -> list[list[Ingested]]:
        from core.db import retried

        return retried(lambda: ingest_together(  # an agent's write may deadlock with it
            self.sessions, submissions, clock=self.clock,
            flap_cooldown=self.settings.flap_cooldown_seconds))

    @property
    def registry(self) -> "Registry":
        """Return the model registry (opened on first use)."""
        if self._registry is None:
            from ml.registry.aliases import Registry, lazy_client

            self._registry = Registry(lazy_client(self.settings), self.sessions,
                                      self.settings.model_name, clock=self.clock)
        return self._registry

    @classmethod
    def over(cls, agent: "Agent", settings: Settings) -> "Medic":
        """Return the service context over an open agent (for a worker process)."""
        return cls(settings=settings, sessions=agent.sessions, clock=agent.context.clock,
                   agent=agent, _registry=agent.context.tools.registry)

    def ensure_agent(self) -> "Agent | None":
        """Return the agent and a worker of this process (opened on first use)."""
        if self.agent is None and self._open_agent is not None:
            self._open_agent()
        return self.agent


@contextmanager
def open_medic(settings: Settings, *, clock: Clock = utcnow) -> Iterator[Medic]:
    """Open the database; the agent and its worker open when a command first needs them."""
    from core.audit_seal import Seal
    from core.db import init_db, make_engine, sessions

    engine = make_engine(settings.database_url)
    init_db(engine)
    stack = ExitStack()
    medic = Medic(settings=settings, sessions=sessions(engine, seal=Seal.of(settings)),
                  clock=clock)

    def open_agent() -> None:
        from agent_graph.runtime.runner import open_agent as agent_on
        from agent_graph.runtime.worker import Worker

        medic.agent = stack.enter_context(agent_on(settings, clock=clock))
        medic._registry = medic.agent.context.tools.registry
        medic.worker = Worker(medic.agent)

    medic._open_agent = open_agent
    try:
        yield medic
    finally:
        stack.close()
        engine.dispose()
