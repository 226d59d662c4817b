"""Record: close the incident with its outcome, and tell people when it mattered."""

from langgraph.runtime import Runtime
from sqlalchemy import select

from agent_graph.runtime.store import write_held
from agent_graph.state import AgentContext, AgentState
from core import audit
from core.incidents import OPEN_STATES, close, get
from core.plans import PlannedAction
from core.tables import ActionRun

STATE_BY_VERDICT = {
    "nothing_to_do": "resolved", "log_only": "closed", "recommend_only": "recommended",
    "escalate": "escalated", "rejected": "rejected", "expired": "expired",
    "refused": "failed", "superseded": "superseded",
}
ACTED = ("approval", "run")  # the verdicts whose outcome the action runs decide


def record(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Set the final state and outcome; notify for medium and high severity."""
    context = runtime.context
    verdict = state.get("verdict", "nothing_to_do")
    with context.sessions.begin() as session:
        incident = get(session, state["incident_id"])
        runs = session.scalars(select(ActionRun).where(  # only a plan that ran has runs
            ActionRun.incident_id == state["incident_id"])).all() \
            if verdict in ACTED else []
        # the audit chain's head read before any field is set: its read flushes nothing,
        # so the held fields and the close reach the incident in one UPDATE, at the commit
        audit.lock(session)
        write_held(session, incident)  # what the nodes before set, in this one transaction
        final, outcome = _outcome(verdict, runs, state)
        if incident.state not in OPEN_STATES:
            return {"outcome": incident.outcome}
        if final == "verifying":
            watching(session, incident, outcome)
        else:
            close(session, incident, final, outcome, actor="medic agent", now=context.clock())
    if final == "superseded":  # nobody needs to act: said once, at low severity
        context.tools.notifier.send(
            f"Medic incident {state['incident_id']}: approval {state.get('approval_id')} "
            "superseded", outcome, incident_id=state["incident_id"], kind="approval",
            severity="low")
    elif state.get("severity_level") in ("medium", "high") or final in ("escalated", "failed"):
        context.tools.notifier.send(f"Medic incident {state['incident_id']}: {final}",
                                    outcome + "\n\n" + "\n".join(state.get("reasons", [])),
                                    incident_id=state["incident_id"],
                                    kind="escalation" if final == "escalated" else "outcome",
                                    severity=state.get("severity_level"))
    return {"outcome": outcome}


def watching(session, incident, outcome: str) -> None:
    """Leave the incident open as `verifying` until live labelled traffic settles it."""
    incident.state, incident.outcome = "verifying", outcome
    audit.record(session, event="verifying", actor="medic agent", incident_id=incident.id,
                 outcome=outcome)


def _why(reason: str) -> str:
    """Return the gate's reason without its verdict words (`v3 vs champion v2: undecided: …`)."""
    return reason.split("undecided: ", 1)[-1].removeprefix("collecting rows — ")


def _outcome(verdict: str, runs, state: AgentState) -> tuple[str, str]:
    if verdict in ACTED:
        stopped = [r.tool for r in runs if r.status == "interrupted"]
        if stopped:
            return "escalated", (f"{', '.join(stopped)} interrupted: the process running it "
                                 "stopped; not re-run — a person decides whether to run it "
                                 "again")
        lacking = [r for r in runs if r.status == "no_data"]
        if lacking:
            return "escalated", "a person must decide: " + "; ".join(
                f"{r.tool}: {r.result.get('message', 'no data')}" for r in lacking)
        if not runs or any(r.status not in ("success", "stored_only") for r in runs):
            return "failed", "an action failed: " + "; ".join(
                f"{r.tool} {r.status}" for r in runs)
        if (state.get("watch") or {}).get("kind") == "gate":
            watch = state["watch"]
            return "verifying", (f"undecided: collecting rows — v{watch['challenger']} stays "
                                 f"challenger, judged against v{watch['champion']} again as "
                                 f"labels arrive ({_why(watch['reason'])})")
        if state.get("watch"):
            watch = state["watch"]
            if watch.get("kind") == "shadow":
                return "verifying", (f"in shadow: v{watch['challenger']} passed the gate and "
                                     f"scores live traffic beside v{watch['champion']}; "
                                     "promoted when labelled live rows show it better")
            if watch.get("kind") == "serving":
                return "verifying", (f"verifying: {watch['tool']} ran; waiting for the "
                                     "error-rate and load-failure monitors to check windows "
                                     "after it")
            return "verifying", (f"verifying: v{watch['after']} replaced v{watch['before']}; "
                                 "waiting for labelled predictions to measure the change")
        if all(r.effective for r in runs):
            return "resolved", "fixed: " + ", ".join(f"{r.tool} helped" for r in runs)
        why = [line for line in state.get("reasons") or [] if ": did not help — " in line]
        return "escalated", "actions ran but did not all help: " + ("; ".join(why) or ", ".join(
            f"{r.tool} {'helped' if r.effective else 'did not help'}" for r in runs))
    plan = ", ".join(s.tool for s in PlannedAction.all(state.get("plan"))) or "nothing"
    text = {
        "nothing_to_do": "no remediation needed",
        "log_only": f"severity {state.get('severity_score', 0):.2f} is low: logged only",
        "recommend_only": f"recommended (not executed): {plan}",
        "escalate": "a person must decide: " + (state.get("reasons") or [""])[-1],
        "rejected": f"the approver rejected {plan}: nothing ran",
        "expired": f"the approval for {plan} expired: nothing ran",
        "refused": (state.get("reasons") or ["refused"])[-1],
        "superseded": (state.get("reasons") or ["superseded"])[-1],
    }[verdict]
    return STATE_BY_VERDICT[verdict], text
