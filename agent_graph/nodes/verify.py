"""Verify: ask each action's tool whether it helped, and record it."""

from langgraph.runtime import Runtime

from agent_graph.state import AgentContext, AgentState
from agent_graph.store import mark_effective, update_incident
from tools import TOOLS, ToolResult


def verify(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Judge each result by what the registry and the serving processes say now."""
    context = runtime.context
    checked = []
    for result in state.get("results", []):
        effective, why = helped(result, context)
        mark_effective(context.sessions, result["run_id"], effective)
        checked.append(f"{result['tool']}: {'helped' if effective else 'did not help'} — {why}")
    update_incident(context.sessions, state["incident_id"], event="verified",
                    actor="medic agent", details={"checks": checked})
    return {"reasons": checked}


def helped(result: dict, context: AgentContext) -> tuple[bool, str]:
    """Return whether one action's effect is visible, and why."""
    if result["status"] != "success":
        return False, f"the action ended with {result['status']}"
    outcome = ToolResult(status=result["status"], message=result.get("message", ""),
                         data=result.get("data") or {})
    return TOOLS[result["tool"]].helped(outcome, context.tools)
