"""Investigate: run the read tools for this alert type and keep what they measured."""

from langgraph.runtime import Runtime

from agent_graph import thinking
from agent_graph.state import AgentContext, AgentState
from agent_graph.store import update_incident
from tools import TOOLS


def investigate(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Look at the registry always; measure drift or performance when evidence is reachable."""
    context = runtime.context
    evidence = {k: v for k, v in (state["alert"].get("evidence") or {}).items() if v}
    calls = [(name, dict(evidence) if "data_path" in TOOLS[name].Args.model_fields else {})
             for name in
             ["registry_lookup", *context.config.investigate.get(state["alert_type"], [])]]
    notes = []
    if state.get("decided_by") == "llm":
        asked, notes = thinking.read_calls(context, state)
        calls += [c for c in asked if c not in calls]
    findings, values = [], dict(state.get("values", {}))
    for name, args in calls:
        tool = TOOLS[name]
        if tool.risk != "read":
            continue  # investigation never changes anything
        if "data_path" in tool.Args.model_fields and not args:
            findings.append({"tool": name, "status": "no_data",
                             "message": "no evidence to measure: using the alert's values"})
            continue
        result = tool(context.tools, args)
        findings.append({"tool": name, "status": result.status, "message": result.message,
                         "data": result.data})
        values.update(measured(name, result))
    update_incident(context.sessions, state["incident_id"], event="investigated",
                    actor="medic agent",
                    details={"findings": [{k: f[k] for k in ("tool", "status", "message")}
                                          for f in findings]},
                    diagnosis=[{k: f[k] for k in ("tool", "status", "message")}
                               for f in findings])
    return {"findings": findings, "values": values, "reasons": notes}


def measured(tool: str, result) -> dict[str, float]:
    """Return the numbers a read tool measured, named as the severity rules name them."""
    if result.status != "success":
        return {}
    if tool == "drift_report":
        found = {"drift_share": result.data["drift_share"]}
        if "performance_loss" in result.data:
            found["performance_loss"] = result.data["performance_loss"]
        return found
    if tool == "performance_summary":
        found = {"f1": result.data["champion"]["f1"],
                 "accuracy": result.data["champion"]["accuracy"]}
        if "previous" in result.data:
            found["previous_f1"] = result.data["previous"]["f1"]
        return found
    return {}
