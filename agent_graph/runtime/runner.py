"""Run incidents through the graph: advance threads, escalate, expire approvals."""

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from langgraph.types import Command
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_graph.config import AgentConfig
from agent_graph.graph import build_graph
from agent_graph.runtime.retention import Retention
from agent_graph.runtime.store import approval as read_approval
from agent_graph.runtime.store import grouped
from agent_graph.state import AgentContext, AgentState
from core import incidents
from core.approvals import decide_approval
from core.clock import utcnow
from core.errors import MedicError
from core.oncall import OnCall
from core.settings import Settings
from core.tables import Approval, Incident
from core.work import Claim
from ml.registry.aliases import recorded_as

log = logging.getLogger(__name__)


class Agent:
    """The remediation agent over one app database and one checkpointer, for every model.

    `context` is the default model's; an incident about another model runs with that
    model's own context (its spec, registry, trainer, budgets), built by `models` the first
    time it is needed and kept. Without `models` every incident gets `context`, and the
    gate escalates one about another model.
    """

    def __init__(self, context: AgentContext, checkpointer,
                 retention: Retention | None = None, oncall: OnCall | None = None, *,
                 models: Callable[[str], AgentContext] | None = None) -> None:
        self.context = context
        self._models = models
        self._contexts: dict[str, AgentContext] = {context.tools.spec.name: context}
        self._building = threading.Lock()
        self.checkpointer = checkpointer
        self.retention = retention or Retention()
        self.oncall = oncall or OnCall()
        """Who is on call and how unanswered approvals escalate (`configs/oncall.yaml`)."""
        """How long closed incidents' threads are kept; the worker prunes on its tick."""
        self.graph = build_graph().compile(checkpointer=checkpointer)

    @property
    def sessions(self):
        """Return the app database's session factory."""
        return self.context.sessions

    def context_for(self, incident_id: int) -> AgentContext:
        """Return the context of an incident's model (read from the incident)."""
        if self._models is None:
            return self.context
        with self.sessions() as session:
            model = session.scalar(select(Incident.model).where(Incident.id == incident_id))
        return self.context_of(model, incident_id)

    def context_of(self, model: str | None, incident_id: int | None = None) -> AgentContext:
        """Return a model's context (the default's if it cannot be built).

        A model whose spec is gone or unreadable keeps the default's context: the gate
        then escalates its plan rather than act on the wrong model.
        """
        if self._models is None or not model or model in self._contexts:
            return self._contexts.get(model, self.context)
        with self._building:
            if model not in self._contexts:
                try:
                    self._contexts[model] = self._models(model)
                except MedicError as error:
                    log.warning("incident %s: no agent context for model %s: %s",
                                incident_id, model, error)
                    return self.context
            return self._contexts[model]

    def advance(self, incident_id: int, claimed: Claim | None = None) -> AgentState:
        """Take an incident's thread as far as it can go now; return its values.

        Starts a new thread (again, if a crash stopped its first run), resumes one waiting
        at its approval once the decision is in the database, carries out a decision on a
        shadow's promotion (`collect.decided`: the thread ended, its watch waits on it), or
        continues one a crash left between nodes (checkpointed per node, by an earlier
        version). Safe to call any number of times: a thread that can go no further is left
        as it is. `claimed`, the worker's claim, already marked the incident handled and
        read its alert and the registry record (`claim_reads`): a new thread reads neither.
        """
        config = _thread(incident_id)
        snapshot = self.graph.get_state(config)
        if not snapshot.values:
            if claimed is not None and claimed.alert is not None:
                alert, terminal = claimed.alert, not claimed.open
            else:
                with self.sessions.begin() as session:
                    incident = incidents.get(session, incident_id)
                    alert, terminal = incident.alert, incident.state not in incidents.OPEN_STATES
                    incident.handled = True
            if not terminal:
                with recorded_as(claimed.read if claimed is not None else None):
                    self._run({"incident_id": incident_id, "alert": alert}, config,
                              _model_of(alert))
            return self.state(incident_id)
        model = _model_of(snapshot.values.get("alert"))
        if snapshot.interrupts:
            approval_id = snapshot.interrupts[0].value["approval_id"]
            if read_approval(self.sessions, approval_id).status != "pending":
                self._run(Command(resume={"approval_id": approval_id}), config, model)
        elif not snapshot.next and (snapshot.values.get("watch") or {}).get("kind") == "shadow":
            from agent_graph.runtime import collect  # a person decided a shadow's promotion

            collect.decided(self, incident_id, snapshot.values["watch"])
        elif snapshot.next:
            log.warning("incident %d: continuing a thread a crash interrupted at %s",
                        incident_id, ", ".join(snapshot.next))
            self._run(None, config, model)
        return self.state(incident_id)

    def claim_reads(self, session: Session, claimed: Claim) -> dict[str, list] | None:
        """Read, in the claim's transaction, Medic's registry record of the incident's model.

        A new thread's investigation lists the versions from it (`recorded_versions`);
        read here it costs one statement instead of a transaction of its own.
        """
        registry = self.context_of(claimed.model, claimed.incident_id).tools.registry
        versions = registry.read_record(session)
        return {registry.name: versions} if versions is not None else None

    def _run(self, what, config: dict, model: str | None) -> None:
        """Run the graph until it ends or waits, checkpointing once, when it stops.

        A checkpoint per node cost several commits each; the nodes' incident updates are
        held until the run's next write or its end (`store.grouped`). A process that dies
        mid-run leaves the thread at its last stop (its start, or its approval): the next
        worker runs it again from there, and an action already claimed is not run twice
        (its idempotency key).
        """
        context = self.context_of(model, int(config["configurable"]["thread_id"]))
        with grouped(self.sessions):
            self.graph.invoke(what, config, context=context, durability="exit")

    def state(self, incident_id: int) -> AgentState:
        """Return the thread's current values (typed: plans, results and findings are models)."""
        return AgentState(**self.graph.get_state(_thread(incident_id)).values)

    def remember(self, incident_id: int, **values) -> None:
        """Update a finished thread's values (what the watch measures next)."""
        self.graph.update_state(_thread(incident_id), values, as_node="record")

    def escalate(self, incident_id: int, why: str) -> None:
        """Hand an incident the agent cannot finish to a person: close it, audit, notify."""
        with self.sessions.begin() as session:
            incident = incidents.get(session, incident_id)
            if incident.state not in incidents.OPEN_STATES:
                return
            incidents.close(session, incident, "escalated", why, actor="medic agent",
                            now=self.context.clock())
        self.context.tools.notifier.send(f"Medic incident {incident_id}: escalated", why,
                                         incident_id=incident_id, kind="escalation")

    def expire(self) -> list[int]:
        """Fail closed: mark overdue approvals expired, audit, notify, wake; return ids."""
        now = self.context.clock()
        with self.sessions() as session:
            overdue = [a.id for a in session.scalars(select(Approval).where(
                Approval.status == "pending")) if a.expires_at <= now]
        expired = []
        for approval_id in overdue:
            decided = decide_approval(self.sessions, approval_id, status="expired", by="medic",
                                      role="system", now=now)
            if decided.claimed:
                asked = ", ".join(decided.asked) or "the usual channels only"
                self.context.tools.notifier.send(
                    f"Medic approval {approval_id} expired", f"Incident {decided.incident_id}: "
                    f"nobody decided in time; nothing ran. Asked: {asked}.",
                    incident_id=decided.incident_id, kind="expiry")
                expired.append(approval_id)
        return expired


@contextmanager
def open_agent(settings: Settings, *, config: AgentConfig | None = None,
               clock: Callable[[], datetime] = utcnow) -> Iterator[Agent]:
    """Build the agent on the settings' database, registry and checkpointer."""
    from agent_graph.llm.client import make_llm
    from agent_graph.runtime.checkpoint import checkpoint_url, open_checkpointer
    from core.audit_seal import Seal
    from core.db import init_db, make_engine, sessions
    from core.notify import Notifier
    from ml.registry.aliases import Registry
    from ml.registry.client import lazy_client
    from tools import ToolContext

    engine = make_engine(settings.database_url)
    init_db(engine)
    factory = sessions(engine, seal=Seal.of(settings))
    # MLflow opens when a tool first needs it (a retrain, a load): most reads come from the
    # app database's record, and its import and store cost every opening seconds of CPU.
    registry = Registry(lazy_client(settings), factory, settings.model_name, clock=clock)
    tools = ToolContext.build(settings, sessions=factory, registry=registry,
                              notifier=Notifier.from_settings(factory, settings, clock=clock),
                              clock=clock)
    context = AgentContext(config=config or AgentConfig.load(), tools=tools,
                           prompts_dir=settings.prompts_dir,
                           model_name=settings.model_name, llm=make_llm(settings), clock=clock)

    def for_model(name: str) -> AgentContext:
        """Build another model's context: its registry and tools, the same agent otherwise."""
        from ml import spec as specs

        named = registry.named(specs.registry_name(settings, specs.of(settings, name)))
        return dataclasses.replace(context, model_name=named.name, tools=ToolContext.build(
            settings, sessions=factory, registry=named, notifier=tools.notifier, clock=clock,
            model=name))

    try:
        with open_checkpointer(checkpoint_url(settings)) as saver:
            yield Agent(context, saver, Retention.from_settings(settings),
                        OnCall.load(settings.oncall), models=for_model)
    finally:
        engine.dispose()


def _model_of(alert: dict | None) -> str | None:
    """Return the model a thread's alert names, if any (none: the default model's context).

    Read from the alert the thread holds, so a new thread and a resumed one get the same
    context without another query.
    """
    return ((alert or {}).get("labels") or {}).get("model")


def _thread(incident_id: int) -> dict:
    return {"configurable": {"thread_id": str(incident_id)}}
