"""Plan: re-score with measured values, then choose remediation actions by rules."""

from langgraph.runtime import Runtime

from agent_graph import policy, rules, thinking
from agent_graph.state import AgentContext, AgentState
from agent_graph.store import update_incident


def plan(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Turn the findings into facts, the facts into actions with their arguments."""
    context = runtime.context
    values = state.get("values", {})
    registry = _finding(state, "registry_lookup")
    champion = (registry.get("champion") or {}).get("version")
    facts = {**values, "previous_healthy": _previous_healthy(registry, values)}
    update = {"facts": facts, "champion": champion}
    score, why = rules.score({**state["alert"], "type": state["alert_type"]}, values,
                             context.config)
    if score > state["severity_score"]:
        level = rules.level(score, context.config)
        update.update(severity_score=score, severity_level=level,
                      reasons=[f"measured values raise severity to {score:.2f} ({level}): "
                               + "; ".join(why)])
    tools, why_plan = rules.plan(state["alert_type"], facts, context.config)
    steps = [{"tool": t, "args": _args(t, state, champion)} for t in tools]
    if state.get("decided_by") == "llm":
        proposed, refused = thinking.plan_calls(context, state, champion)
        if proposed is None:
            update["decided_by"] = "rules"
            why_plan = f"{refused}; rules planned instead ({why_plan})"
        else:
            steps, why_plan = proposed, "the LLM proposed the plan"
    steps = [{**s, "risk": policy.risk_of(s["tool"])} for s in steps]
    digest = policy.digest(state["incident_id"], context.settings.model_name, champion, steps)
    update.update(plan=steps, digest=digest)
    update.setdefault("reasons", []).append(f"{why_plan}: {[s['tool'] for s in steps] or 'none'}")
    update_incident(context.sessions, state["incident_id"], event="planned", actor="rules",
                    details={"plan": steps, "why": why_plan, "champion": champion},
                    plan=steps, decided_by=update.get("decided_by", state["decided_by"]),
                    severity_score=update.get("severity_score",
                                                          state["severity_score"]),
                    severity_level=update.get("severity_level", state["severity_level"]))
    return update


def _finding(state: AgentState, tool: str) -> dict:
    for finding in state.get("findings", []):
        if finding["tool"] == tool and finding["status"] == "success":
            return finding["data"]
    return {}


def _previous_healthy(registry: dict, values: dict) -> bool:
    previous = registry.get("previous")
    if not previous or not previous.get("healthy"):
        return False
    if "previous_f1" in values and "f1" in values:
        return values["previous_f1"] > values["f1"]
    return True


def _args(tool: str, state: AgentState, champion: str | None) -> dict:
    if tool == "rollback":
        return {"expected_champion": champion or "0"}
    if tool == "retrain":
        return {"reason": f"incident {state['incident_id']}: {state['alert'].get('name', '')}"[
            :500]}
    if tool == "notify":
        body = ("Drift measured without an F1 loss beyond the threshold (from labels, or "
                "estimated while they lag): watching, no retrain."
                if state.get("alert_type") == "drift"
                else "An alert of unknown type needs a person's look.")
        return {"subject": f"Medic incident {state['incident_id']}: "
                           f"{state['alert'].get('name', '')}"[:300], "body": body}
    return {}
