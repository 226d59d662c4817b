"""Registry tools: look up, promote, roll back."""

from pydantic import BaseModel

from tools.base import IncidentView, NoArgs, Tool, ToolResult, Version
from tools.context import ToolContext


class RegistryLookup(Tool):
    """Report champion, previous and challenger with their held-out metrics."""

    name = "registry_lookup"
    description = "Show which model versions hold the champion, previous and challenger aliases."
    risk = "read"
    Args = NoArgs
    always_investigate = True

    def run(self, context: ToolContext, args: NoArgs) -> ToolResult:
        registry = context.registry
        data = {}
        versions = registry.recorded_versions()  # Medic's record, one read: no MLflow call
        for alias in ("champion", "previous", "challenger"):
            info = next((v for v in versions if alias in v.aliases), None)
            if info is None:
                data[alias] = None
                continue
            data[alias] = {"version": info.version, "model_type": info.model_type,
                           "metrics": dict(info.metrics),
                           "healthy": _passed(context, info.metrics)}
        data.update(model=context.spec.name, metric=context.metric)
        if data["champion"] is None:
            return ToolResult(status="no_data", message="no champion registered", data=data)
        return ToolResult(status="success", data=data,
                          message=f"champion is version {data['champion']['version']}")

    def facts(self, result: ToolResult, values: dict[str, float]) -> dict:
        """Name the champion and challenger; say whether the previous version is healthy.

        Healthy means it passed the training minimum of the model's metric when held out
        and, where both were measured on the same evidence, it scores better than the
        champion.
        """
        if result.status != "success":
            return {}
        previous = result.data.get("previous") or {}
        healthy = bool(previous.get("healthy"))
        if healthy and "metric_better_previous" in values:
            healthy = values["metric_better_previous"] > 0
        return {"champion": result.data["champion"]["version"],
                "challenger": (result.data.get("challenger") or {}).get("version"),
                "previous_healthy": healthy}


class PromoteArgs(BaseModel):
    """Which version to promote, and which champion it replaces."""

    model_config = {"extra": "forbid"}
    version: Version
    expected_champion: Version


class Promote(Tool):
    """Make a version champion (compare-and-set against the expected champion)."""

    name = "promote"
    description = "Make a registered version the champion, if the champion is still as expected."
    risk = "risky"
    strength = 3
    Args = PromoteArgs

    def run(self, context: ToolContext, args: PromoteArgs) -> ToolResult:
        context.registry.promote(args.version, expected=args.expected_champion,
                                 actor="medic agent", reason="approved promotion")
        return ToolResult(status="success", message=f"version {args.version} is champion",
                          data={"champion": args.version, "replaced": args.expected_champion})

    def default_args(self, incident: IncidentView) -> dict:
        """Promote the challenger over the champion the plan saw."""
        found = {"version": incident.facts.get("challenger"),
                 "expected_champion": incident.champion}
        return {k: v for k, v in found.items() if v is not None}

    def helped(self, result: ToolResult, context: ToolContext) -> tuple[bool, str]:
        """Helped if the promoted version is champion now."""
        return _serves(result, context)


class RollbackArgs(BaseModel):
    """Which champion the rollback replaces."""

    model_config = {"extra": "forbid"}
    expected_champion: Version


class Rollback(Tool):
    """Restore the previous champion (compare-and-set)."""

    name = "rollback"
    description = "Restore the previous champion, if the champion is still the expected version."
    risk = "risky"
    strength = 3
    Args = RollbackArgs
    cooldown_minutes = 60  # no rollback ping-pong

    def run(self, context: ToolContext, args: RollbackArgs) -> ToolResult:
        restored = context.registry.rollback(expected=args.expected_champion,
                                             actor="medic agent", reason="approved rollback")
        return ToolResult(status="success", message=f"rolled back to version {restored}",
                          data={"champion": restored, "replaced": args.expected_champion})

    def default_args(self, incident: IncidentView) -> dict:
        """Replace the champion the plan saw."""
        return {"expected_champion": incident.champion or "0"}

    def helped(self, result: ToolResult, context: ToolContext) -> tuple[bool, str]:
        """Helped if the restored version is champion now."""
        return _serves(result, context)


def _passed(context: ToolContext, metrics: dict) -> bool:
    """Return whether a version's held-out score met the model's training minimum.

    The minimum is in the recipe's selection metric: a floor for a score (F1), a ceiling
    for an error (MAE). A model trained elsewhere has no minimum of Medic's to meet.
    """
    from ml.spec import higher_is_better

    if context.training is None:
        return True
    metric, bar = context.training.selection_metric, context.training.min_f1
    held_out = metrics.get(f"test_{metric}")
    if held_out is None:
        return False
    return held_out >= bar if higher_is_better(metric) else held_out <= bar


def _serves(result: ToolResult, context: ToolContext) -> tuple[bool, str]:
    now = context.registry.alias("champion")
    if now != result.data.get("champion"):
        return False, f"champion is {now}, not {result.data.get('champion')}"
    metric = context.metric
    held_out = context.registry.version(now).metrics.get(f"test_{metric}")
    score = f"{held_out:.3f}" if held_out is not None else "not recorded"
    return True, f"version {now} serves with held-out {metric.upper()} {score}"
