"""Verify: ask each action's tool whether it helped; a champion move is measured later."""

from langgraph.runtime import Runtime

from agent_graph.state import AgentContext, AgentState
from agent_graph.store import mark_effective, update_incident
from tools import TOOLS, ToolResult


def verify(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Judge what can be judged now; for a champion move, record what the watch waits for.

    A new champion is not a fix until live labelled traffic says so: the thread ends with
    the incident `verifying`, and the worker's sweep measures it later (`watch.sweep`).
    """
    context = runtime.context
    checked, watch = [], None
    for result in state.get("results", []):
        if table := (result.get("data") or {}).get("gate_table"):
            checked.append(f"{result['tool']}: promotion gate\n{table}")
        moved = _moved_champion(result, context)
        if moved is not None:
            watch = {"run_id": result["run_id"], "tool": result["tool"], **moved,
                     "since": context.clock().isoformat()}
            checked.append(f"{result['tool']}: champion v{moved['before']} → "
                           f"v{moved['after']}; not verified yet — it will be measured on "
                           "live labelled traffic, and you will hear the result")
            continue
        effective, why = helped(result, context)
        mark_effective(context.sessions, result["run_id"], effective)
        checked.append(f"{result['tool']}: {'helped' if effective else 'did not help'} — {why}")
    update_incident(context.sessions, state["incident_id"], event="verified",
                    actor="medic agent", details={"checks": checked, "watch": watch})
    return {"reasons": checked, "watch": watch}


def _moved_champion(result: dict, context: AgentContext) -> dict | None:
    """Return {before, after} when a successful action made another version champion."""
    data = result.get("data") or {}
    if result["status"] != "success" or not data.get("champion") or not data.get("replaced"):
        return None
    if context.tools.registry.alias("champion") != data["champion"]:
        return None
    return {"before": str(data["replaced"]), "after": str(data["champion"])}


def helped(result: dict, context: AgentContext) -> tuple[bool, str]:
    """Return whether one action's effect is visible, and why."""
    if result["status"] != "success":
        return False, f"the action ended with {result['status']}"
    outcome = ToolResult(status=result["status"], message=result.get("message", ""),
                         data=result.get("data") or {})
    return TOOLS[result["tool"]].helped(outcome, context.tools)
