"""Investigate: run the read tools for this alert type and keep what they measured."""

from langgraph.runtime import Runtime

from agent_graph.llm import thinking
from agent_graph.runtime.store import update_incident
from agent_graph.state import AgentContext, AgentState
from core.plans import Finding
from tools import TOOLS, IncidentView


def investigate(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Run the tools every alert gets, then the alert type's; measure only what has evidence."""
    context = runtime.context
    view = IncidentView(incident_id=state["incident_id"], alert=state["alert"])
    names = [n for n, t in TOOLS.items() if t.always_investigate]
    names += [n for n in context.config.investigate.get(state["alert_type"], [])
              if n not in names]
    calls = [(name, TOOLS[name].default_args(view)) for name in names]
    notes = []
    if state.get("decided_by") == "llm":
        asked, notes = thinking.read_calls(context, state)
        calls += [c for c in asked if c not in calls]
    findings, values = [], dict(state.get("values", {}))
    for name, args in calls:
        tool = TOOLS[name]
        if tool.risk != "read":
            continue  # investigation never changes anything
        if tool.wants_evidence and not args:
            findings.append(Finding(tool=name, status="no_data",
                                    message="no evidence to measure: using the alert's values"))
            continue
        result = tool(context.tools, args)
        findings.append(Finding(tool=name, **result.model_dump()))
        values.update(tool.measured(result))
    brief = [f.model_dump(include={"tool", "status", "message"}) for f in findings]
    update_incident(context.sessions, state["incident_id"], event="investigated",
                    actor="medic agent", details={"findings": brief}, diagnosis=brief)
    return {"findings": findings, "values": values, "reasons": notes}
