"""Gate: the policy decides what may run, whatever proposed the plan."""

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from agent_graph import policy
from agent_graph.runtime.store import update_incident, usage
from agent_graph.state import AgentContext, AgentState
from core.plans import PlannedAction


def gate(state: AgentState,
         runtime: Runtime[AgentContext]) -> Command[Literal["approval", "act", "record"]]:
    """Check band, mode, budgets and risk floors; route to approval, act, or record."""
    context = runtime.context
    now = context.clock()
    used = usage(context.sessions, context.model_name, now,
                 context.config.budget.window_hours)
    decision = policy.decide(PlannedAction.all(state.get("plan")), state["severity_level"],
                             context.config, used, now,
                             needs_person=state.get("needs_person", False))
    update_incident(context.sessions, state["incident_id"], event="gate_verdict",
                    actor="policy", details={"verdict": decision.verdict,
                                             "reasons": decision.reasons},
                    verdict=decision.verdict)
    return Command(goto=decision.goto,
                   update={"verdict": decision.verdict,
                           "reasons": [f"gate: {decision.verdict} — "
                                       + "; ".join(decision.reasons)]})
