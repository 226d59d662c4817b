"""Verify: check each action's effect; a champion move is measured on live traffic later."""

from langgraph.runtime import Runtime

from agent_graph.state import AgentContext, AgentState
from agent_graph.store import mark_effective, update_incident


def verify(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Judge what can be judged now; for a champion move, record what the watch waits for.

    A new champion is not a fix until live labelled traffic says so: the thread ends with
    the incident `verifying`, and the worker's sweep measures it later (`watch.sweep`).
    """
    context = runtime.context
    checked, watch = [], None
    for result in state.get("results", []):
        moved = _moved_champion(result, context)
        if moved is not None:
            watch = {"run_id": result["run_id"], "tool": result["tool"], **moved,
                     "since": context.clock().isoformat()}
            checked.append(f"{result['tool']}: champion v{moved['before']} → "
                           f"v{moved['after']}; verified on live labelled traffic")
            continue
        effective, why = helped(result, context)
        mark_effective(context.sessions, result["run_id"], effective)
        checked.append(f"{result['tool']}: {'helped' if effective else 'did not help'} — {why}")
        if result.get("data", {}).get("gate_table"):
            checked.append(f"{result['tool']}: promotion gate\n{result['data']['gate_table']}")
    update_incident(context.sessions, state["incident_id"], event="verified",
                    actor="medic agent", details={"checks": checked, "watch": watch})
    return {"reasons": checked, "watch": watch}


def _moved_champion(result: dict, context) -> dict | None:
    """Return {before, after} when a successful action made another version champion."""
    data = result.get("data") or {}
    if result["status"] != "success" or not data.get("champion") or not data.get("replaced"):
        return None
    if context.tools.registry.alias("champion") != data["champion"]:
        return None
    return {"before": str(data["replaced"]), "after": str(data["champion"])}


def helped(result: dict, context) -> tuple[bool, str]:
    """Return whether one action's effect is visible, and why."""
    if result["status"] != "success":
        return False, f"the action ended with {result['status']}"
    registry, data = context.tools.registry, result.get("data", {})
    if result["tool"] == "retrain":
        if data.get("decision") == "champion":
            return True, f"version {data['version']} passed the promotion gate"
        return False, f"version {data.get('version')} stayed {data.get('decision')}"
    if result["tool"] in ("rollback", "promote"):
        now = registry.alias("champion")
        if now != data.get("champion"):
            return False, f"champion is {now}, not {data.get('champion')}"
        return True, f"version {now} is champion"
    if result["tool"] == "reload_model":
        served = context.tools.serving.current
        ok = served is not None and served.version == registry.alias("champion")
        return ok, f"serving version {served.version if served else 'none'}"
    return True, result.get("message", "done")
