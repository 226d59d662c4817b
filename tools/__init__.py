"""The agent's tools, each typed and declaring its risk class (`read`, `safe`, `risky`)."""

from tools.base import Tool, ToolContext, ToolResult
from tools.ml_tools import DriftReport, Notify, PerformanceSummary, ReloadModel, Retrain
from tools.registry_tools import Promote, RegistryLookup, Rollback

TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (RegistryLookup(), PerformanceSummary(), DriftReport(), Retrain(), Promote(),
                 Rollback(), ReloadModel(), Notify())
}

__all__ = ["TOOLS", "Tool", "ToolContext", "ToolResult"]
