"""Assess: score severity 0-1 by rules, and by the LLM when one is configured."""

from langgraph.runtime import Runtime

from agent_graph import rules
from agent_graph.llm import thinking
from agent_graph.runtime.store import update_incident
from agent_graph.state import AgentContext, AgentState


def assess(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Score by rules always; let a valid LLM answer decide unless the two are far apart."""
    context, config = runtime.context, runtime.context.config
    alert = {**state["alert"], "type": state["alert_type"]}
    score, why = rules.score(alert, state.get("values", {}), config)
    level, decided_by, needs_person = rules.level(score, config), "rules", False
    note = "rules: " + "; ".join(why)
    answer, failure = thinking.assess(context, state)
    if answer is not None:
        llm_level = rules.level(answer.score, config)
        decided_by, note = "llm", f"llm: {answer.rationale} (rules said {score:.2f} {level})"
        if thinking.band_gap(llm_level, level) > 1:
            needs_person = True
            note += f"; LLM said {llm_level}, rules {level}: a person decides"
            score = max(score, answer.score)
        else:
            score = answer.score
        level = rules.level(score, config)
    elif context.llm is not None:
        note = f"{failure}; {note}"
    update_incident(context.sessions, state["incident_id"], event="severity_assessed",
                    actor=decided_by, details={"score": score, "level": level, "note": note},
                    severity_score=score, severity_level=level, decided_by=decided_by,
                    decision_note=note[:4000])
    return {"severity_score": score, "severity_level": level, "decided_by": decided_by,
            "needs_person": needs_person, "reasons": [f"severity {score:.2f} ({level}) — {note}"]}
