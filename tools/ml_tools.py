"""ML tools: drift report, performance summary, retrain, reload the serving model."""

from pathlib import Path

from pydantic import BaseModel, Field

from tools.base import NoArgs, Tool, ToolContext, ToolResult


class DataArgs(BaseModel):
    """Evidence to measure: a data file, or a window of the prediction log."""

    model_config = {"extra": "forbid"}
    data_path: str | None = Field(None, min_length=1, max_length=1000)
    window_minutes: int | None = Field(None, ge=1, le=7 * 24 * 60)


MIN_ROWS = 30  # fewer rows than this is no basis for a drift test or an F1


def _evidence(context: ToolContext, args: DataArgs):
    """Return (frame, where) for the evidence, or (None, why not)."""
    from ml import data
    from ml.prediction_log import window

    if args.data_path:
        path = Path(args.data_path)
        if not path.is_file():
            return None, f"evidence file {path} is not reachable"
        return data.load(path), str(path)
    if args.window_minutes:
        frame = window(context.sessions, args.window_minutes)
        if len(frame) < MIN_ROWS:
            return None, (f"only {len(frame)} predictions in the last "
                          f"{args.window_minutes} min (need {MIN_ROWS})")
        return frame, f"the last {args.window_minutes} min of predictions"
    return None, "no evidence given"


class DriftReport(Tool):
    """Compare a data file with the training reference, per feature."""

    name = "drift_report"
    description = "Measure drift of a data file against the training data (KS test per feature)."
    risk = "read"
    Args = DataArgs

    def run(self, context: ToolContext, args: DataArgs) -> ToolResult:
        from ml import data, drift
        from ml.train import TrainingConfig

        current, where = _evidence(context, args)
        if current is None:
            return ToolResult(status="no_data", message=where)
        site = TrainingConfig.from_yaml(context.settings.training_config).site
        reference = data.load_site(context.settings.data_dir, site)
        result = drift.measure(reference, current, report_dir=context.settings.home / "reports")
        loss = _loss(context, current, reference)
        hurt = (f"; F1 loss {loss['performance_loss']:.3f} ({loss['loss_from']}, "
                f"{loss['loss_rows']} rows)") if loss else ""
        return ToolResult(status="success", data={**result.model_dump(), **loss},
                          message=f"{len(result.drifted_features)} of {len(result.features)} "
                                  f"features drifted (share {result.drift_share:.2f}){hurt}")


def _loss(context: ToolContext, current, reference) -> dict:
    """Return whether the drift hurts: F1 lost, from labels or (lagging) the estimate."""
    from ml.estimate import performance_loss

    champion = context.registry.alias("champion")
    if champion is None:
        return {}
    held_out = context.registry.version(champion).metrics.get("test_f1")
    if held_out is None:
        return {}
    return performance_loss(current, model=context.registry.load(champion), reference=reference,
                            reference_f1=held_out, min_labels=MIN_ROWS)


class PerformanceSummary(Tool):
    """Score the champion and previous versions on labelled evidence."""

    name = "performance_summary"
    description = "Measure the champion's F1 (and the previous version's) on labelled data."
    risk = "read"
    Args = DataArgs

    def run(self, context: ToolContext, args: DataArgs) -> ToolResult:
        from ml import data, evaluate

        frame, where = _evidence(context, args)
        if frame is None:
            return ToolResult(status="no_data", message=where)
        if "target" not in frame or frame["target"].notna().sum() < MIN_ROWS:
            return ToolResult(status="no_data", message=f"{where}: too few labels to score")
        frame = frame[frame["target"].notna()]
        scores = {}
        for alias in ("champion", "previous"):
            version = context.registry.alias(alias)
            if version is not None:
                model = context.registry.load(version)
                probability = model.predict_proba(data.features(frame))[:, 1]
                scores[alias] = {"version": version,
                                 **evaluate.scores(frame["target"], probability)}
        if "champion" not in scores:
            return ToolResult(status="no_data", message="no champion to score")
        return ToolResult(status="success", data=scores,
                          message=f"champion F1 {scores['champion']['f1']:.3f} on "
                                  f"{len(frame)} labelled rows")


class RetrainArgs(BaseModel):
    """Why the model is retrained."""

    model_config = {"extra": "forbid"}
    reason: str = Field("remediation", max_length=500)


class Retrain(Tool):
    """Run the training pipeline; the new version passes the promotion gate or stays challenger."""

    name = "retrain"
    description = "Retrain the model; promotion to champion only through the promotion gate."
    risk = "risky"
    Args = RetrainArgs

    def run(self, context: ToolContext, args: RetrainArgs) -> ToolResult:
        from ml import gate, heal

        before = context.registry.alias("champion")
        outcome = heal.retrain(context.settings, context.registry, context.sessions,
                               actor="medic agent")
        if outcome.status != "trained":
            return ToolResult(status="no_data", message=outcome.reason,
                              data={"status": outcome.status})
        result = outcome.result
        data = {"version": result.version, "decision": result.decision,
                "reason": result.reason, "training_set": result.training_set}
        if result.gate is not None:
            data["gate_table"] = gate.render(gate.GateResult.model_validate(result.gate))
        if result.decision == "champion":
            data.update(champion=result.version, replaced=before)
        return ToolResult(status="success", data=data,
                          message=f"version {result.version}: {result.decision} "
                                  f"({result.reason})")


class ReloadModel(Tool):
    """Make the serving process load the current champion."""

    name = "reload_model"
    description = "Reload the serving model from the registry's champion."
    risk = "safe"
    Args = NoArgs

    def run(self, context: ToolContext, args: NoArgs) -> ToolResult:
        loaded = context.serving.reload(force=True)
        if loaded is None:
            return ToolResult(status="no_data", message="no champion to serve")
        return ToolResult(status="success", message=f"serving version {loaded.version}",
                          data={"version": loaded.version})


class NotifyArgs(BaseModel):
    """A message for people."""

    model_config = {"extra": "forbid"}
    subject: str = Field(..., min_length=1, max_length=300)
    body: str = Field("", max_length=10000)


class Notify(Tool):
    """Tell the people on the notification channels."""

    name = "notify"
    description = "Send a message to the configured notification channels."
    risk = "safe"
    Args = NotifyArgs

    def run(self, context: ToolContext, args: NotifyArgs) -> ToolResult:
        channels = context.notifier.send(args.subject, args.body)
        return ToolResult(status="success", message="notified", data={"channels": channels})
