"""Verify: check that each action helped, and record it."""

from langgraph.runtime import Runtime

from agent_graph.state import AgentContext, AgentState
from agent_graph.store import mark_effective, update_incident


def verify(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Judge each result by what the registry and the serving model say now."""
    context = runtime.context
    checked = []
    for result in state.get("results", []):
        effective, why = helped(result, context)
        mark_effective(context.sessions, result["run_id"], effective)
        checked.append(f"{result['tool']}: {'helped' if effective else 'did not help'} — {why}")
    update_incident(context.sessions, state["incident_id"], event="verified",
                    actor="medic agent", details={"checks": checked})
    return {"reasons": checked}


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
        f1 = registry.version(now).metrics.get("test_f1", 0.0)
        return True, f"version {now} serves with held-out F1 {f1:.3f}"
    if result["tool"] == "reload_model":
        served = context.tools.serving.current
        ok = served is not None and served.version == registry.alias("champion")
        return ok, f"serving version {served.version if served else 'none'}"
    return True, result.get("message", "done")
