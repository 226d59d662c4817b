"""Plan: re-score with measured values, choose actions by rules, weigh the LLM's proposal."""

from langgraph.runtime import Runtime

from agent_graph import policy, rules
from agent_graph.llm import thinking
from agent_graph.runtime.store import update_incident
from agent_graph.state import AgentContext, AgentState
from core.plans import Finding
from tools import TOOLS, IncidentView, ToolResult


def plan(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Turn the findings into facts, the facts into actions with their arguments."""
    context = runtime.context
    values = state.get("values", {})
    facts = {**values, **_facts(Finding.all(state.get("findings")), values)}
    champion = facts.get("champion")
    update = {"facts": facts, "champion": champion}
    score, why = rules.score({**state["alert"], "type": state["alert_type"]}, values,
                             context.config)
    if score > state["severity_score"]:
        level = rules.level(score, context.config)
        update.update(severity_score=score, severity_level=level,
                      reasons=[f"measured values raise severity to {score:.2f} ({level}): "
                               + "; ".join(why)])
    tools, why_plan = rules.plan(state["alert_type"], facts, context.config)
    view = IncidentView(incident_id=state["incident_id"], alert=state["alert"],
                        champion=champion, facts=facts)
    steps = [policy.planned(t, TOOLS[t].default_args(view) if t in TOOLS else {})
             for t in tools]
    proposals, planner = {"rules": [s.tool for s in steps]}, "rules"
    if state.get("decided_by") == "llm":
        proposed, refused = thinking.plan_calls(context, state, champion)
        proposals["llm"] = None if proposed is None else [s.tool for s in proposed]
        short = [] if proposed is None else policy.weakened(
            proposals["rules"], proposals["llm"],
            rules.considered(state["alert_type"], context.config))
        if proposed is None:
            update["decided_by"] = "rules"
            why_plan = f"{refused}; rules planned instead ({why_plan})"
        elif short:
            update.update(decided_by="person", needs_person=True, dropped=short)
            why_plan = (f"the LLM's plan {proposals['llm']} is weaker than the rules' "
                        f"{proposals['rules']} ({'; '.join(short)}): they disagree, a person "
                        f"decides the rules' plan ({why_plan})")
        else:
            steps, why_plan, planner = proposed, "the LLM proposed the plan", "llm"
    digest = policy.digest(state["incident_id"], context.model_name, champion, steps)
    update.update(plan=steps, digest=digest, proposals=proposals)
    update.setdefault("reasons", []).append(f"{why_plan}: {[s.tool for s in steps] or 'none'}")
    stored = [s.model_dump() for s in steps]
    update_incident(context.sessions, state["incident_id"], event="planned", actor=planner,
                    details={"plan": stored, "why": why_plan, "champion": champion,
                             "proposals": proposals},
                    plan=stored, decided_by=update.get("decided_by", state["decided_by"]),
                    severity_score=update.get("severity_score",
                                                          state["severity_score"]),
                    severity_level=update.get("severity_level", state["severity_level"]))
    return update


def _facts(findings: list[Finding], values: dict) -> dict:
    """Ask each tool that found something what its finding means for the plan rules."""
    facts = {}
    for finding in findings:
        if finding.tool in TOOLS:
            facts.update(TOOLS[finding.tool].facts(ToolResult.of(finding), values))
    return facts
