"""The agent's tools, each typed, risk-classed (`read`, `safe`, `risky`) and owning its hooks."""

from tools.base import IncidentView, Tool, ToolResult
from tools.context import ToolContext
from tools.ml_tools import DriftReport, Notify, PerformanceSummary, ReloadModel, Retrain
from tools.registry_tools import Promote, RegistryLookup, Rollback
from tools.status_tools import (
                                AuditTail,
                                AuditVerify,
                                IncidentLookup,
                                PendingApprovals,
                                RecentIncidents,
                                VersionHistory,
)

TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (RegistryLookup(), PerformanceSummary(), DriftReport(), Retrain(), Promote(),
                 Rollback(), ReloadModel(), Notify(), IncidentLookup(), PendingApprovals(),
                 RecentIncidents(), VersionHistory(), AuditTail(), AuditVerify())
}

__all__ = ["TOOLS", "IncidentView", "Tool", "ToolContext", "ToolResult"]
