"""Status tools: read incidents, approvals, alias history and the audit log; change nothing."""

from datetime import timedelta

from pydantic import BaseModel, Field
from sqlalchemy import select

from core import audit, incidents
from core.errors import NotFound
from core.tables import Approval, Incident
from tools.base import NoArgs, Tool, ToolResult, Version
from tools.context import ToolContext

INCIDENT_FIELDS = ("id", "state", "title", "type", "severity_score", "severity_level",
                   "decided_by", "plan", "outcome")


class IncidentArgs(BaseModel):
    """Which incident."""

    model_config = {"extra": "forbid"}
    incident_id: int = Field(..., ge=1, le=2**31 - 1)  # a database integer


class IncidentLookup(Tool):
    """One incident's summary, plan and outcome."""

    name = "incident_lookup"
    description = "One incident by id: its state, severity, plan and outcome."
    risk = "read"
    Args = IncidentArgs

    def run(self, context: ToolContext, args: IncidentArgs) -> ToolResult:
        try:
            with context.sessions() as session:
                found = incidents.detail(session, args.incident_id)
        except NotFound as error:
            return ToolResult(status="no_data", message=str(error))
        return ToolResult(status="success", message=f"incident {args.incident_id} is "
                          f"{found.state}", data=found.model_dump(mode="json",
                                                                  include=set(INCIDENT_FIELDS)))


class PendingApprovals(Tool):
    """Approvals waiting for a person."""

    name = "pending_approvals"
    description = "Approvals waiting for a person, with the actions they would allow."
    risk = "read"
    Args = NoArgs

    def run(self, context: ToolContext, args: NoArgs) -> ToolResult:
        with context.sessions() as session:
            rows = [incidents.approval_view(a).model_dump(mode="json") for a in session.scalars(
                select(Approval).where(Approval.status == "pending").order_by(Approval.id))]
        return ToolResult(status="success", message=f"{len(rows)} approval(s) pending",
                          data={"approvals": rows})


class RecentArgs(BaseModel):
    """How far back to look."""

    model_config = {"extra": "forbid"}
    hours: int = Field(24, ge=1, le=24 * 90)


class RecentIncidents(Tool):
    """Incidents seen in the last hours."""

    name = "recent_incidents"
    description = "Incidents of the last hours (drift, performance, errors), newest first."
    risk = "read"
    Args = RecentArgs

    def run(self, context: ToolContext, args: RecentArgs) -> ToolResult:
        since = context.clock() - timedelta(hours=args.hours)
        with context.sessions() as session:
            rows = [incidents.summary(i).model_dump(mode="json") for i in session.scalars(
                select(Incident).where(Incident.last_seen >= since)
                .order_by(Incident.id.desc()).limit(50))]
        return ToolResult(status="success", data={"incidents": rows},
                          message=f"{len(rows)} incident(s) in the last {args.hours} h")


class VersionArgs(BaseModel):
    """Which model version."""

    model_config = {"extra": "forbid"}
    version: Version


class VersionHistory(Tool):
    """The alias changes that involve one version."""

    name = "version_history"
    description = "Alias changes involving a model version (promotions, rollbacks), with reasons."
    risk = "read"
    Args = VersionArgs

    def run(self, context: ToolContext, args: VersionArgs) -> ToolResult:
        rows = [h.model_dump(mode="json") for h in context.registry.history()
                if args.version in (h.version, h.replaced)]
        return ToolResult(status="success", data={"history": rows},
                          message=f"{len(rows)} alias change(s) involve version {args.version}")


class TailArgs(BaseModel):
    """How many entries."""

    model_config = {"extra": "forbid"}
    limit: int = Field(20, ge=1, le=200)


class AuditTail(Tool):
    """The newest audit log entries."""

    name = "audit_tail"
    description = "The newest audit log entries."
    risk = "read"
    Args = TailArgs

    def run(self, context: ToolContext, args: TailArgs) -> ToolResult:
        with context.sessions() as session:
            rows = audit.entries(session, limit=args.limit)
        return ToolResult(status="success", message=f"{len(rows)} audit entries",
                          data={"entries": rows})


class AuditVerify(Tool):
    """Walk the audit chain and say whether it is intact."""

    name = "audit_verify"
    description = "Check that the audit log is intact (no entry changed, inserted or removed)."
    risk = "read"
    Args = NoArgs

    def run(self, context: ToolContext, args: NoArgs) -> ToolResult:
        with context.sessions() as session:
            result = audit.verify(session)
        message = (f"the audit log is intact ({result.entries} entries)" if result.ok
                   else f"the audit log is broken: {result.reason}")
        return ToolResult(status="success", message=message, data=result.model_dump())
