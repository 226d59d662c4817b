"""Registry tools: look up, promote, roll back."""

from pydantic import BaseModel, Field

from tools.base import NoArgs, Tool, ToolContext, ToolResult


class RegistryLookup(Tool):
    """Report champion, previous and challenger with their held-out metrics."""

    name = "registry_lookup"
    description = "Show which model versions hold the champion, previous and challenger aliases."
    risk = "read"
    Args = NoArgs

    def run(self, context: ToolContext, args: NoArgs) -> ToolResult:
        registry, minimum = context.registry, _min_f1(context)
        data = {}
        for alias in ("champion", "previous", "challenger"):
            version = registry.alias(alias)
            if version is None:
                data[alias] = None
                continue
            info = registry.version(version)
            data[alias] = {"version": version, "model_type": info.model_type,
                           "metrics": info.metrics,
                           "healthy": info.metrics.get("test_f1", 0.0) >= minimum}
        if data["champion"] is None:
            return ToolResult(status="no_data", message="no champion registered", data=data)
        return ToolResult(status="success", data=data,
                          message=f"champion is version {data['champion']['version']}")


class PromoteArgs(BaseModel):
    """Which version to promote, and which champion it replaces."""

    model_config = {"extra": "forbid"}
    version: str = Field(..., pattern=r"^\d+$")
    expected_champion: str = Field(..., pattern=r"^\d+$")


class Promote(Tool):
    """Make a version champion (compare-and-set against the expected champion)."""

    name = "promote"
    description = "Make a registered version the champion, if the champion is still as expected."
    risk = "risky"
    Args = PromoteArgs

    def run(self, context: ToolContext, args: PromoteArgs) -> ToolResult:
        context.registry.promote(args.version, expected=args.expected_champion,
                                 actor="medic agent", reason="approved promotion")
        return ToolResult(status="success", message=f"version {args.version} is champion",
                          data={"champion": args.version, "replaced": args.expected_champion})


class RollbackArgs(BaseModel):
    """Which champion the rollback replaces."""

    model_config = {"extra": "forbid"}
    expected_champion: str = Field(..., pattern=r"^\d+$")


class Rollback(Tool):
    """Restore the previous champion (compare-and-set)."""

    name = "rollback"
    description = "Restore the previous champion, if the champion is still the expected version."
    risk = "risky"
    Args = RollbackArgs

    def run(self, context: ToolContext, args: RollbackArgs) -> ToolResult:
        restored = context.registry.rollback(expected=args.expected_champion,
                                             actor="medic agent", reason="approved rollback")
        return ToolResult(status="success", message=f"rolled back to version {restored}",
                          data={"champion": restored, "replaced": args.expected_champion})


def _min_f1(context: ToolContext) -> float:
    from ml.train import TrainingConfig

    if context.settings.min_f1 is not None:
        return context.settings.min_f1
    return TrainingConfig.from_yaml(context.settings.training_config).min_f1
