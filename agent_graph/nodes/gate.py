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
    """Check band, mode, budgets and risk floors; route to approval, act, or record.

    An incident about another model than the one this agent's tools act on (its alert's
    `model` label) is escalated: its plan would retrain or move the wrong model, and that
    model's budgets are not this one's to spend.
    """
    context = runtime.context
    now = context.clock()
    plan = PlannedAction.all(state.get("plan"))
    other = about_another_model(state, context)
    if other and plan:
        decision = policy.GateDecision("escalate", [
            f"the incident is about {other}; the agent's tools act on "
            f"{context.tools.spec.name} only: a person decides"])
    else:
        def used() -> policy.Usage:  # read only if the budgets are checked
            return usage(context.sessions, context.model_name, now,
                         context.config.budget.window_hours)

        decision = policy.decide(plan, state["severity_level"], context.config, used, now,
                                 needs_person=state.get("needs_person", False))
    update_incident(context.sessions, state["incident_id"], event="gate_verdict",
                    actor="policy", details={"verdict": decision.verdict,
                                             "reasons": decision.reasons},
                    verdict=decision.verdict)
    return Command(goto=decision.goto,
                   update={"verdict": decision.verdict,
                           "reasons": [f"gate: {decision.verdict} — "
                                       + "; ".join(decision.reasons)]})


def about_another_model(state: AgentState, context: AgentContext) -> str | None:
    """Return the model the incident's alert names, when it is not the agent's own."""
    named = ((state.get("alert") or {}).get("labels") or {}).get("model")
    return named if named and named not in (context.tools.spec.name, context.model_name) \
        else None
