"""Run incidents through the graph: submit alerts, handle threads, decide approvals, expire."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from langgraph.types import Command
from sqlalchemy import select, update

from agent_graph.config import AgentConfig
from agent_graph.graph import build_graph
from agent_graph.state import AgentContext
from core import audit, incidents
from core.alerts import Alert
from core.clock import utcnow
from core.errors import NotFound, PolicyError
from core.keys import Principal
from core.tables import Approval, Incident

log = logging.getLogger(__name__)


class Agent:
    """The remediation agent over one app database and one checkpointer."""

    def __init__(self, context: AgentContext, checkpointer) -> None:
        self.context = context
        self.graph = build_graph().compile(checkpointer=checkpointer)

    @property
    def sessions(self):
        """Return the app database's session factory."""
        return self.context.sessions

    def submit(self, alert: Alert, *, handle: bool = True) -> incidents.Ingested:
        """Store an alert (joining its open incident) and, if new, run its thread."""
        ingested = incidents.ingest(self.sessions, alert)
        if handle and ingested.needs_handling:
            self.handle(ingested.incident_id)
        return ingested

    def handle(self, incident_id: int) -> dict:
        """Run or continue an incident's thread until it ends or waits for approval."""
        config = _thread(incident_id)
        snapshot = self.graph.get_state(config)
        if snapshot.next and not snapshot.interrupts:
            self.graph.invoke(None, config, context=self.context)  # resume after a crash
        elif not snapshot.values:
            with self.sessions() as session:
                incident = incidents.get(session, incident_id)
                alert = incident.alert
            self.graph.invoke({"incident_id": incident_id, "alert": alert}, config,
                              context=self.context)
        with self.sessions.begin() as session:
            incidents.get(session, incident_id).handled = True
        return self.state(incident_id)

    def handle_pending(self) -> list[int]:
        """Pick up every incident not yet handled (after a restart); return their ids."""
        with self.sessions() as session:
            waiting = incidents.unhandled(session)
        for incident_id in waiting:
            self.handle(incident_id)
        return waiting

    def state(self, incident_id: int) -> dict:
        """Return the thread's current values."""
        return dict(self.graph.get_state(_thread(incident_id)).values)

    def decide(self, approval_id: int, *, principal: Principal, approve: bool,
               comment: str = "") -> dict:
        """Approve or reject a pending approval, then resume its thread. Repeats are harmless."""
        view, resume = self.record_decision(approval_id, principal=principal, approve=approve,
                                            comment=comment)
        if resume:
            self.resume(view["incident_id"], approval_id)
            with self.sessions() as session:
                view = incidents.approval_view(session.get(Approval, approval_id))
        return view

    def record_decision(self, approval_id: int, *, principal: Principal, approve: bool,
                        comment: str = "") -> tuple[dict, bool]:
        """Store the decision; return the approval and whether the thread must resume."""
        if approve and not principal.can_approve():
            raise PolicyError(f"{principal.name} has role {principal.role!r}; approving needs "
                              "the approver role")
        if not approve and principal.role not in ("operator", "approver", "admin"):
            raise PolicyError(f"{principal.name} has role {principal.role!r}; rejecting needs "
                              "operator, approver or admin")
        now = self.context.clock()
        status = "approved" if approve else "rejected"
        with self.sessions.begin() as session:
            found = session.get(Approval, approval_id)
            if found is None:
                raise NotFound(f"no approval {approval_id}")
            if found.status == "pending" and found.expires_at <= now:
                status = "expired"
            claimed = session.execute(
                update(Approval).where(Approval.id == approval_id,
                                       Approval.status == "pending")
                .values(status=status, decided_by=principal.name, decided_role=principal.role,
                        decided_at=now, comment=comment[:2000])).rowcount
            if claimed:
                audit.record(session, event=f"approval_{status}", actor=principal.name,
                             incident_id=found.incident_id, approval_id=approval_id,
                             role=principal.role, comment=comment[:2000], digest=found.digest)
            current = found.status
        if not claimed and current != status:
            raise PolicyError(f"approval {approval_id} is already {current}; nothing changed")
        if status == "expired":
            self.resume(found.incident_id, approval_id)
            raise PolicyError(f"approval {approval_id} expired before it was decided")
        with self.sessions() as session:
            return incidents.approval_view(session.get(Approval, approval_id)), bool(claimed)

    def expire(self) -> list[int]:
        """Fail closed: mark overdue approvals expired, record, notify, resume; return ids."""
        now = self.context.clock()
        with self.sessions() as session:
            overdue = [a for a in session.scalars(select(Approval).where(
                Approval.status == "pending")) if a.expires_at <= now]
        expired = []
        for found in overdue:
            with self.sessions.begin() as session:
                claimed = session.execute(
                    update(Approval).where(Approval.id == found.id, Approval.status == "pending")
                    .values(status="expired", decided_by="medic", decided_role="system",
                            decided_at=now)).rowcount
                if claimed:
                    audit.record(session, event="approval_expired", actor="medic",
                                 incident_id=found.incident_id, approval_id=found.id)
            if claimed:
                self.context.tools.notifier.send(
                    f"Medic approval {found.id} expired", f"Incident {found.incident_id}: "
                    "nobody decided in time; nothing ran.", incident_id=found.incident_id)
                self.resume(found.incident_id, found.id)
                expired.append(found.id)
        return expired

    def pending(self) -> list[dict]:
        """Return pending approvals with their context, oldest first."""
        with self.sessions() as session:
            rows = session.scalars(select(Approval).where(Approval.status == "pending")
                                   .order_by(Approval.id))
            return [incidents.approval_view(a) for a in rows]

    def ask(self, question: str):
        """Answer a status question from read-only lookups (never approves or acts)."""
        from agent_graph.chat import Lookups, answer

        lookups = Lookups(self.sessions, self.context.tools.registry)
        return answer(question, lookups=lookups, llm=self.context.llm)

    def resume(self, incident_id: int, approval_id: int) -> None:
        """Continue a thread waiting at its approval (the decision is in the database)."""
        with self.sessions() as session:
            state = session.get(Incident, incident_id).state
        if state != "awaiting_approval":
            return
        self.graph.invoke(Command(resume={"approval_id": approval_id}), _thread(incident_id),
                          context=self.context)


@contextmanager
def open_agent(settings, *, config: AgentConfig | None = None,
               clock: Callable[[], datetime] = utcnow) -> Iterator[Agent]:
    """Build the agent on the settings' database, registry and checkpointer."""
    from agent_graph.checkpoint import checkpoint_url, open_checkpointer
    from agent_graph.llm import make_llm
    from core.db import init_db, make_engine, sessions
    from core.notify import Notifier
    from ml import tracking
    from ml.registry import Registry
    from ml.serving import ServingModel
    from tools import ToolContext

    engine = make_engine(settings.database_url)
    init_db(engine)
    factory = sessions(engine)
    registry = Registry(tracking.client(settings), factory, settings.model_name)
    tools = ToolContext(settings=settings, sessions=factory, registry=registry,
                        serving=ServingModel(registry), notifier=Notifier(factory))
    context = AgentContext(settings=settings, config=config or AgentConfig.load(),
                           sessions=factory, tools=tools, clock=clock, llm=make_llm(settings))
    try:
        with open_checkpointer(checkpoint_url(settings)) as saver:
            yield Agent(context, saver)
    finally:
        engine.dispose()


def _thread(incident_id: int) -> dict:
    return {"configurable": {"thread_id": str(incident_id)}}
