"""Verify: ask each action's tool whether it helped; a champion move is measured later."""

from langgraph.runtime import Runtime

from agent_graph.runtime.store import mark_effective, update_incident
from agent_graph.state import AgentContext, AgentState
from core.plans import ActionResult
from tools import TOOLS, ToolResult


def verify(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Judge what can be judged now; for a champion move, record what the watch waits for.

    A new champion is not a fix until live labelled traffic says so: the thread ends with
    the incident `verifying`, and the worker's sweep measures it later (`watch.sweep`).
    A new version the gate could not yet judge is no failure either: the incident stays
    `verifying` while rows are collected, and the sweep judges it again (`collect`).
    """
    context = runtime.context
    checked, watch = [], None
    for result in ActionResult.all(state.get("results")):
        if table := result.data.get("gate_table"):
            checked.append(f"{result.tool}: promotion gate\n{table}")
        collecting = _collecting(result, context)
        if collecting is not None:
            watch = {"kind": "gate", "run_id": result.run_id, "tool": result.tool,
                     **collecting, "since": context.clock().isoformat()}
            checked.append(f"{result.tool}: undecided — the gate cannot yet tell "
                           f"v{collecting['challenger']} from v{collecting['champion']}; "
                           "collecting rows, judged again as labels arrive")
            continue
        moved = _moved_champion(result, context)
        if moved is not None:
            watch = {"run_id": result.run_id, "tool": result.tool, **moved,
                     "since": context.clock().isoformat()}
            checked.append(f"{result.tool}: champion v{moved['before']} → "
                           f"v{moved['after']}; not verified yet — it will be measured on "
                           "live labelled traffic, and you will hear the result")
            continue
        later = _later(result, context)
        if later is not None:
            watch = {"run_id": result.run_id, "tool": result.tool, **later,
                     "since": context.clock().isoformat()}
            checked.append(f"{result.tool}: {later['line']}")
            continue
        effective, why = helped(result, context)
        mark_effective(context.sessions, result.run_id, effective)
        checked.append(f"{result.tool}: {'helped' if effective else 'did not help'} — {why}")
    update_incident(context.sessions, state["incident_id"], event="verified",
                    actor="medic agent", details={"checks": checked, "watch": watch})
    return {"reasons": checked, "watch": watch}


def _moved_champion(result: ActionResult, context: AgentContext) -> dict | None:
    """Return {before, after} when a successful action made another version champion."""
    data = result.data
    if result.status != "success" or not data.get("champion") or not data.get("replaced"):
        return None
    if context.tools.registry.alias("champion") != data["champion"]:
        return None
    return {"before": str(data["replaced"]), "after": str(data["champion"])}


def _collecting(result: ActionResult, context: AgentContext) -> dict | None:
    """Return what to judge again when the gate kept a new version undecided, else None."""
    data = result.data
    collecting = data.get("collecting")
    if result.status != "success" or data.get("gate_verdict") != "undecided" \
            or not collecting:
        return None
    registry = context.tools.registry
    if registry.alias("challenger") != collecting["challenger"] \
            or registry.alias("champion") != collecting["champion"]:
        return None
    return collecting


def _later(result: ActionResult, context: AgentContext) -> dict | None:
    """Return what a successful action asks verify to measure later, or None."""
    if result.status != "success":
        return None
    return TOOLS[result.tool].measure_later(ToolResult.of(result), context.tools)


def helped(result: ActionResult, context: AgentContext) -> tuple[bool, str]:
    """Return whether one action's effect is visible, and why."""
    if result.status != "success":
        return False, f"the action ended with {result.status}"
    return TOOLS[result.tool].helped(ToolResult.of(result), context.tools)
