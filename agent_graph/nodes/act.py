"""Act: run the allowed actions once each, if what was approved still holds."""

from langgraph.runtime import Runtime

from agent_graph import policy
from agent_graph.runtime.store import (
    claim_action,
    finish_action,
    moved_by,
    previous_run,
    supersede,
    update_incident,
)
from agent_graph.state import AgentContext, AgentState
from core.plans import ActionResult, PlannedAction
from tools import TOOLS


def act(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Check the digest against the registry now, then execute with idempotency keys."""
    context = runtime.context
    model = context.model_name
    champion_now = context.tools.registry.alias("champion")
    plan = PlannedAction.all(state["plan"])
    current = policy.digest(state["incident_id"], model, champion_now, plan)
    if current != state["digest"]:
        return superseded(context, state, champion_now)
    results = []
    for step in plan:
        key = policy.action_key(state["incident_id"], state["digest"], step.tool, step.args)
        run = claim_action(context.sessions, key=key, incident_id=state["incident_id"],
                           model=model, tool=step.tool, args=step.args)
        if run is None:
            earlier = previous_run(context.sessions, key)
            if earlier.status != "running":
                results.append(ActionResult(tool=step.tool, run_id=earlier.id,
                                            status=earlier.status, repeated=True,
                                            data=earlier.result.get("data") or {}))
                continue
            # Still `running`, yet this worker holds the incident's lease: the process that
            # started it died mid-action. Re-run only what is harmless to run twice.
            if step.tool not in context.config.rerun_interrupted:
                results.append(interrupted(context, earlier))
                continue
            run = earlier
        result = TOOLS[step.tool](context.tools, step.args)
        finish_action(context.sessions, run.id, status=result.status,
                      result=result.model_dump(), now=context.clock())
        results.append(ActionResult(tool=step.tool, run_id=run.id, **result.model_dump()))
    moved = context.tools.registry.alias("champion")
    if moved != champion_now:  # the fix landed: plans made for the old champion are stale
        supersede(context.sessions, champion=str(moved), now=context.clock(), reason=(
            f"incident {state['incident_id']}'s {_tools(plan)} made v{moved} "
            f"champion (it replaced v{champion_now}); this plan was made for "
            f"v{champion_now}: the fix it asked for already landed, nothing ran"))
    return {"results": results}


def superseded(context: AgentContext, state: AgentState, champion_now) -> dict:
    """Stop a plan made for a champion that has since moved: superseded, not failed."""
    earlier = moved_by(context.sessions, str(champion_now))
    by = (f"incident {earlier.incident_id}'s {earlier.tool}" if earlier is not None
          else "a person or another process")
    why = (f"superseded: {by} made v{champion_now} champion (it replaced "
           f"v{state.get('champion')}) after this plan was made for v{state.get('champion')}; "
           "nothing ran — the plan is stale")
    if state.get("approval_id"):
        supersede(context.sessions, champion=str(champion_now), reason=why,
                  now=context.clock(), approval_id=state["approval_id"])
    update_incident(context.sessions, state["incident_id"], event="action_refused",
                    actor="policy", details={"reason": why})
    return {"verdict": "superseded", "results": [], "reasons": [why]}


def _tools(plan: list[PlannedAction]) -> str:
    return " and ".join(step.tool for step in plan) or "plan"


def interrupted(context: AgentContext, run) -> ActionResult:
    """Mark an action whose process died as interrupted; a person decides on a re-run."""
    message = (f"{run.tool} was interrupted: the process running it stopped; it was not "
               "re-run (not safe to run twice) — a person decides")
    finish_action(context.sessions, run.id, status="interrupted",
                  result={"status": "interrupted", "message": message, "data": {}},
                  now=context.clock())
    return ActionResult(tool=run.tool, run_id=run.id, status="interrupted", message=message)
