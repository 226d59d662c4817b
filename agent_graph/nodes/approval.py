"""Approval: stop the thread until a person with the approver role decides."""

from datetime import timedelta
from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from pydantic import BaseModel

from agent_graph.phrasing import action
from agent_graph.runtime.store import approval as read_approval
from agent_graph.runtime.store import request_approval
from agent_graph.state import AgentContext, AgentState
from core.plans import Finding, PlannedAction


class ApprovalRequest(BaseModel):
    """What the interrupt shows a person: the plan, its risk, its digest, its expiry."""

    approval_id: int
    incident_id: int
    actions: list[PlannedAction]
    digest: str
    severity: str
    expires_at: str


def approval(state: AgentState,
             runtime: Runtime[AgentContext]) -> Command[Literal["act", "record"]]:
    """Ask once (idempotently), wait, then read the decision from the database."""
    context = runtime.context
    plan, findings = PlannedAction.all(state["plan"]), Finding.all(state.get("findings"))
    diagnosis = [f.message for f in findings]
    now = context.clock()
    expires = now + timedelta(minutes=context.config.approval_ttl_minutes)
    required = context.config.approvers_needed(plan, now)
    two = " It needs two different approvers (two-person rule)." if required > 1 else ""
    asked = request_approval(
        context.sessions, incident_id=state["incident_id"], digest=state["digest"],
        actions=[s.model_dump() for s in plan], requested_at=now, expires_at=expires,
        required=required,
        context={"severity": state["severity_level"], "score": state["severity_score"],
                 "diagnosis": diagnosis,
                 "champion": state.get("champion"), "reasons": state.get("reasons", []),
                 "proposals": state.get("proposals", {})},
        on_created=lambda asked: context.tools.notifier.send(
            f"Medic incident {state['incident_id']}: approval {asked.id} needed",
            f"A plan waits for your decision (it was made for champion "
            f"v{state.get('champion')}): " + " ".join(action(s) for s in plan) + two,
            incident_id=state["incident_id"], kind="approval",
            severity=state["severity_level"],
            diagnosis=diagnosis, actions=[action(s) for s in plan],
            expires_at=asked.expires_at, approval_id=asked.id, digest=state["digest"]),
    )
    interrupt(ApprovalRequest(
        approval_id=asked.id, incident_id=state["incident_id"], actions=plan,
        digest=state["digest"], severity=state["severity_level"],
        expires_at=asked.expires_at.isoformat()).model_dump())
    decided = read_approval(context.sessions, asked.id)
    if decided.status == "approved" and decided.decided_role in ("approver", "admin"):
        return Command(goto="act", update={
            "approval_id": asked.id,
            "reasons": [f"approved by {decided.decided_by}: {decided.comment}"]})
    if decided.status == "superseded":
        return Command(goto="record", update={
            "approval_id": asked.id, "verdict": "superseded",
            "reasons": [f"superseded: {decided.comment}"]})
    return Command(goto="record", update={
        "approval_id": asked.id, "verdict": decided.status if decided.status != "approved"
        else "rejected",
        "reasons": [f"not approved ({decided.status}) — nothing ran"]})
