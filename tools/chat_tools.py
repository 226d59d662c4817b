"""Read tools only chat uses: what is wrong now, and why the agent did what it did.

They read the app database and the registry, the truth the console shows; they are not in
`TOOLS`, so the agent's investigation and plans never see them.
"""

from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from core import incidents, monitor_states
from core.errors import NotFound
from core.incidents import CORRELATING_STATES
from core.tables import Approval, Incident
from tools.base import NoArgs, Tool, ToolResult
from tools.context import ToolContext

LIVE_KIND = "performance"  # the monitor that scores the champion on labelled traffic
WHY_TOOLS = ("retrain", "rollback", "promote", "reload_model", "notify", "escalate")


class StatusNow(Tool):
    """The champion with its live metric against its training baseline, monitors, incidents."""

    name = "status_now"
    description = ("What is wrong now: the model's champion, its live metric (F1, MAE, ...) "
                   "against its value at training, each monitor's last check, open incidents "
                   "and pending approvals.")
    risk = "read"
    Args = NoArgs

    def run(self, context: ToolContext, args: NoArgs) -> ToolResult:
        registry = context.registry
        champion = registry.recorded_alias("champion")
        model = context.spec.name  # the monitors of the model these tools act on
        results = monitor_states.load_results(context.sessions, model=model)
        firing = {name for name, fields in monitor_states.load(context.sessions,
                                                               model=model).items()
                  if fields["firing"]}
        with context.sessions() as session:
            opened = list(session.scalars(select(Incident).where(
                Incident.state.in_(CORRELATING_STATES)).order_by(Incident.id)))
            open_rows = [{**incidents.summary(i).model_dump(mode="json"),
                          "first_seen": i.first_seen.isoformat(),
                          "monitors": sorted({a.monitor for a in incidents.alert_list(
                              session, i.id) if a.monitor})} for i in opened]
            pending = [incidents.approval_view(a).model_dump(mode="json") for a in session.scalars(
                select(Approval).where(Approval.status == "pending").order_by(Approval.id))]
        covering = {m: row["id"] for row in open_rows if row["model"] == model
                    for m in row["monitors"]}  # this model's incidents hold its monitors
        monitors = [{"name": name, "kind": result["kind"], "state": result["state"],
                     "value": result["value"], "value_name": result["value_name"],
                     "warning": result["warning"], "critical": result["critical"],
                     "rows": result["rows"], "note": result["note"],
                     "firing": name in firing, "incident": covering.get(name),
                     "checked_at": at.isoformat()}
                    for name, (result, at) in sorted(results.items())]
        data = {"model": model, "metric": context.metric, "default": context.default,
                "champion": _champion(registry, champion, context.metric),
                "live": _live(results, champion), "monitors": monitors,
                "open_incidents": open_rows, "pending": pending}
        return ToolResult(status="success", data=data,
                          message=f"{len(open_rows)} open incident(s), {len(pending)} "
                                  "approval(s) pending")


def _champion(registry, champion: str | None, metric: str) -> dict | None:
    """Return the champion, when and why it became champion, and its held-out `metric`."""
    if champion is None:
        return None
    since = next((h for h in reversed(registry.history())
                  if h.alias == "champion" and h.version == champion), None)
    metrics = registry.recorded_version(champion).metrics
    return {"version": champion, "baseline": metrics.get(f"test_{metric}"),
            "since": since.at.isoformat() if since else None,
            "by": since.actor if since else None, "reason": since.reason if since else None}


def _live(results: dict, champion: str | None) -> dict | None:
    """Return the performance monitor's last score of the champion's own labelled rows.

    `value` is in the monitor's metric (`metric`: the model's F1, MAE, ...).
    """
    found = next(((r, at) for r, at in results.values() if r["kind"] == LIVE_KIND), None)
    if found is None or champion is None:
        return None
    result, at = found
    details = result.get("details", {})
    metric = details.get("metric") or result["value_name"]
    versions = {str(v["model_version"]): v for v in details.get("versions", [])}
    mine = versions.get(str(champion), {})
    return {"monitor": result["name"], "state": result["state"], "metric": metric,
            "value": mine.get(metric),
            "labelled": mine.get("labelled", 0), "min_rows": result["min_rows"],
            "window_minutes": result["window_minutes"], "checked_at": at.isoformat()}


class WhyArgs(BaseModel):
    """Which incident, or which action to find the newest incident of."""

    model_config = {"extra": "forbid"}
    incident_id: int | None = Field(None, ge=1, le=2**31 - 1)
    action: Literal[WHY_TOOLS] | None = None  # type: ignore[valid-type]


class IncidentReasons(Tool):
    """Why the agent did what it did, from an incident's record."""

    name = "incident_reasons"
    description = ("Why the agent acted: an incident's findings, decision, approvals, the "
                   "actions with the promotion gate's table, and the outcome. Give the "
                   "incident id, or an action (retrain, rollback, …) for its newest incident.")
    risk = "read"
    Args = WhyArgs

    def run(self, context: ToolContext, args: WhyArgs) -> ToolResult:
        with context.sessions() as session:
            incident_id = args.incident_id or _newest_with(session, args.action)
            if incident_id is None:
                return ToolResult(status="no_data", message=(
                    "no incident was escalated" if args.action == "escalate"
                    else f"no incident planned {args.action or 'an action'}"))
            try:
                found = incidents.detail(session, incident_id)
            except NotFound as error:
                return ToolResult(status="no_data", message=str(error))
        keep = ("id", "state", "title", "type", "severity_score", "severity_level",
                "decided_by", "decision_note", "diagnosis", "plan", "approvals", "outcome",
                "alert_list")
        data = found.model_dump(mode="json", include=set(keep))
        data["actions"] = [{"tool": a.tool, "status": a.status, "effective": a.effective,
                            "message": (a.result or {}).get("message", ""),
                            "gate_table": ((a.result or {}).get("data") or {}).get("gate_table")}
                           for a in found.actions]
        return ToolResult(status="success", data=data,
                          message=f"incident {incident_id} is {found.state}")


def _newest_with(session, action: str | None) -> int | None:
    """Return the newest incident whose plan holds the action (any plan, without one)."""
    for incident in session.scalars(select(Incident).order_by(Incident.id.desc()).limit(200)):
        tools = {step["tool"] for step in incident.plan or []}
        if action is None and tools:
            return incident.id
        if action == "escalate" and incident.state == "escalated":
            return incident.id
        if action in tools:
            return incident.id
    return None


CHAT_ONLY: dict[str, Tool] = {tool.name: tool for tool in (StatusNow(), IncidentReasons())}
