"""Triage: classify the alert and take its measured values as the starting facts."""

from langgraph.runtime import Runtime

from agent_graph.runtime.store import update_incident
from agent_graph.state import AgentContext, AgentState
from core.alerts import Alert


def triage(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Read the alert once more as data and name its type."""
    alert = Alert.model_validate(state["alert"])
    kind = alert.type.value
    evidence = alert.evidence
    if evidence and evidence.data_path:
        note = f"evidence at {evidence.data_path}"
    elif evidence and evidence.window_minutes:
        note = f"evidence: the last {evidence.window_minutes} min of the prediction log"
    else:
        note = "no evidence to measure: working from the alert's values"
    update_incident(runtime.context.sessions, state["incident_id"], event="triaged",
                    actor="medic agent", details={"type": kind, "values": alert.values,
                                                  "note": note},
                    alert_type=kind)
    return {"alert_type": kind, "values": dict(alert.values),
            "reasons": [f"triaged as {kind}; {note}"]}
