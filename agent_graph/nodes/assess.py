"""Assess: score severity 0-1 by rules and place it in a band."""

from langgraph.runtime import Runtime

from agent_graph import rules
from agent_graph.state import AgentContext, AgentState
from agent_graph.store import update_incident


def assess(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Score the alert's type, severity label and measured values."""
    config = runtime.context.config
    alert = {**state["alert"], "type": state["alert_type"]}
    score, why = rules.score(alert, state.get("values", {}), config)
    level = rules.level(score, config)
    update_incident(runtime.context.sessions, state["incident_id"], event="severity_assessed",
                    actor="rules", details={"score": score, "level": level, "why": why},
                    severity_score=score, severity_level=level, decided_by="rules")
    return {"severity_score": score, "severity_level": level, "decided_by": "rules",
            "reasons": [f"severity {score:.2f} ({level}): " + "; ".join(why)]}
