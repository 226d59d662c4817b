"""ML tools: drift report, performance summary, retrain, reload the serving model, notify."""

from collections import Counter

from pydantic import BaseModel, Field

from tools.base import IncidentView, NoArgs, Tool, ToolResult
from tools.context import ToolContext
from tools.evidence import MIN_ROWS, DataArgs, load


class DriftReport(Tool):
    """Compare the alert's evidence with the training reference, per feature."""

    name = "drift_report"
    description = ("Measure drift of evidence (a file in the evidence folder, or recent "
                   "predictions) against the training data (per feature, the test Evidently "
                   "picks for its type: K-S, chi-square or Z), and name the shifted "
                   "population.")
    risk = "read"
    Args = DataArgs
    wants_evidence = True

    def run(self, context: ToolContext, args: DataArgs) -> ToolResult:
        from ml import data
        from ml.monitoring import evidently as drift

        current, where = load(context, args)
        if current is None:
            return ToolResult(status="no_data", message=where)
        reference = data.reference(context.spec, context.data_dir)
        from ml.monitoring.segments import shifted

        result = drift.measure(reference, current, context.spec)
        loss = _loss(context, current, reference)
        hurt = (f"; F1 loss {loss['performance_loss']:.3f} ({loss['loss_from']}, "
                f"{loss['loss_rows']} rows)") if loss else ""
        moved = shifted(reference, current, result.drifted_features)
        tests = Counter(f.test for f in result.features)
        population = ("; most shifted: " + "; ".join(m.line() for m in moved)) if moved else ""
        return ToolResult(status="success", data={
            **result.model_dump(), **loss,
            "shifted": [{**m.model_dump(), "line": m.line()} for m in moved]},
            message=f"{len(result.drifted_features)} of {len(result.features)} features "
                    f"drifted (share {result.drift_share:.2f}) on {where} "
                    f"({result.current_rows} rows) against the training data "
                    f"({result.reference_rows} rows; tests: "
                    + ", ".join(f"{name} for {n}" for name, n in sorted(tests.items()))
                    + f"){hurt}{population}")

    def measured(self, result: ToolResult) -> dict[str, float]:
        """Return the share of drifted features and the F1 the drift cost, if measured."""
        if result.status != "success":
            return {}
        found = {"drift_share": result.data["drift_share"]}
        if "performance_loss" in result.data:
            found["performance_loss"] = result.data["performance_loss"]
        return found


def _loss(context: ToolContext, current, reference) -> dict:
    """Return whether the drift hurts: F1 lost, from labels or (lagging) the estimate."""
    from ml.monitoring.estimate import performance_loss

    champion = context.registry.alias("champion") if context.registry is not None else None
    if champion is None or context.spec.task != "binary_classification":
        return {}  # drift alone is measured without a model; a regressor's cost: performance
    held_out = context.registry.version(champion).metrics.get("test_f1")
    if held_out is None:
        return {}
    return performance_loss(current, model=context.registry.load(champion), reference=reference,
                            reference_f1=held_out, min_labels=MIN_ROWS, spec=context.spec)


class PerformanceSummary(Tool):
    """Score the champion and previous versions on labelled evidence, in the model's metric."""

    name = "performance_summary"
    description = ("Measure the champion's metric (F1 for a classifier, MAE for a regressor: "
                   "the model's own) and the previous version's on labelled data.")
    risk = "read"
    Args = DataArgs
    wants_evidence = True

    def run(self, context: ToolContext, args: DataArgs) -> ToolResult:
        from ml import data
        from ml.training import evaluate, gate

        frame, where = load(context, args)
        if frame is None:
            return ToolResult(status="no_data", message=where)
        truth = "target" if "target" in frame else context.spec.target.name
        if truth not in frame or frame[truth].notna().sum() < MIN_ROWS:
            return ToolResult(status="no_data", message=f"{where}: too few labels to score")
        frame = frame[frame[truth].notna()]
        scores = {}
        for alias in ("champion", "previous"):
            version = context.registry.alias(alias)
            if version is not None:
                predicted = gate.predictions(context.registry.load(version),
                                             data.features(frame, context.spec))
                scores[alias] = {"version": version, **evaluate.task_scores(
                    context.spec, frame[truth], predicted)}
        if "champion" not in scores:
            return ToolResult(status="no_data", message="no champion to score")
        metric, name = context.metric, context.metric.upper()
        champion = scores["champion"]
        baseline = context.registry.version(champion["version"]).metrics.get(f"test_{metric}")
        against = (f" vs {baseline:.3f} on its hold-out at training"
                   if baseline is not None else f" (no hold-out {name} recorded to compare)")
        if baseline is not None:
            champion[f"baseline_{metric}"] = baseline
        previous = (f"; previous v{scores['previous']['version']}: {name} "
                    f"{scores['previous'][metric]:.3f} on the same rows"
                    if "previous" in scores else "")
        return ToolResult(status="success", data={**scores, "metric": metric},
                          message=f"champion v{champion['version']} {name} "
                                  f"{champion[metric]:.3f} on {len(frame)} labelled rows of "
                                  f"{where}{against}{previous}")

    def measured(self, result: ToolResult) -> dict[str, float]:
        """Return the champion's scores and the previous version's in the model's metric.

        A classifier's are F1 and accuracy (what the severity and plan rules read); every
        model's metric also comes as `metric_better_previous`: 1 when the previous version
        scored better than the champion on the same rows, else 0.
        """
        if result.status != "success":
            return {}
        champion, metric = result.data["champion"], result.data.get("metric", "f1")
        found = {name: champion[name] for name in ("f1", "accuracy", metric) if name in champion}
        previous = result.data.get("previous")
        if previous is not None:
            from ml.spec import higher_is_better

            found[f"previous_{metric}"] = previous[metric]
            sign = 1 if higher_is_better(metric) else -1
            found["metric_better_previous"] = float(
                sign * (previous[metric] - champion[metric]) > 0)
        return found


class RetrainArgs(BaseModel):
    """Why the model is retrained."""

    model_config = {"extra": "forbid"}
    reason: str = Field("remediation", max_length=500)
    incident_id: int | None = Field(None, ge=1, description="The incident it remedies.")


class Retrain(Tool):
    """Run the training pipeline; the new version passes the promotion gate or stays challenger."""

    name = "retrain"
    description = "Retrain the model; promotion to champion only through the promotion gate."
    risk = "risky"
    strength = 3
    Args = RetrainArgs

    def run(self, context: ToolContext, args: RetrainArgs) -> ToolResult:
        from ml.training import gate

        before = context.registry.alias("champion")
        outcome = context.trainer(actor="medic agent", incident_id=args.incident_id)
        if outcome.status == "requested":
            return ToolResult(status="success", message=outcome.reason,
                              data={"status": "requested", "rows": outcome.rows,
                                    "reason": outcome.reason})
        if outcome.status != "trained":
            return ToolResult(status="no_data", message=outcome.reason,
                              data={"status": outcome.status})
        result = outcome.result
        data = {"version": result.version, "decision": result.decision,
                "reason": result.reason, "training_set": result.training_set}
        if result.gate is not None:
            verdict = gate.GateResult.model_validate(result.gate)
            data.update(gate_table=gate.render(verdict), gate_verdict=verdict.verdict)
            if verdict.verdict == "undecided":  # what judging it again needs
                data["collecting"] = {
                    "champion": before, "challenger": result.version,
                    "production_since": _iso(verdict.production_since),
                    "judge_since": _iso(verdict.judge_since), "reason": result.reason}
        if result.decision == "champion":
            data.update(champion=result.version, replaced=before)
        message = f"version {result.version}: {result.decision} ({result.reason})"
        if data.get("gate_verdict") == "promoted" and result.decision == "challenger" \
                and context.heal.shadow.enabled:  # held: it earns promotion in shadow
            data["shadow"] = _shadow(context, result.version, before, args.incident_id)
            message += (f"; in shadow beside v{before}: promoted when labelled live rows show "
                        "it better")
        return ToolResult(status="success", data=data, message=message)

    def default_args(self, incident: IncidentView) -> dict:
        """Give the incident as the reason, and its number (a retrain hook sends it)."""
        return {"reason": incident.title[:500], "incident_id": incident.incident_id}

    def measure_later(self, result: ToolResult, context: ToolContext) -> dict | None:
        """A version held in shadow is judged on live rows later, by the sweep."""
        shadow = result.data.get("shadow")
        if not shadow:
            return None
        return {"kind": "shadow", **shadow,
                "line": f"v{shadow['challenger']} passed the gate and is in shadow beside "
                        f"v{shadow['champion']}: every live prediction is also scored by it, "
                        "and it is promoted when the labelled live rows show it better"}

    def helped(self, result: ToolResult, context: ToolContext) -> tuple[bool, str]:
        """Helped only if the new version passed the production gate (then verify measures).

        A version the gate could not yet judge is not a failure: verify watches it instead.
        """
        data = result.data
        if data.get("status") == "requested":  # nothing serves differently yet: a person
            return False, data["reason"]        # promotes what the pipeline registers
        if data.get("decision") == "champion":
            return True, f"version {data['version']} passed the promotion gate"
        if data.get("gate_verdict") == "undecided":
            return False, (f"version {data.get('version')} undecided: collecting rows "
                           "(judged again as labels arrive)")
        if data.get("gate_verdict") == "refused":
            return False, f"the gate refused version {data.get('version')}: {data.get('reason')}"
        return False, f"version {data.get('version')} stayed {data.get('decision')}"


def _shadow(context: ToolContext, version: str, champion: str | None,
            incident_id: int | None) -> dict:
    """Put a version the gate passed in shadow beside the champion; say so to people."""
    from core import rollouts

    state = rollouts.start(context.sessions, context.spec.name, challenger=str(version),
                           champion=champion, actor="medic agent",
                           reason="passed the promotion gate; earns promotion on live traffic",
                           incident_id=incident_id, clock=context.clock)
    context.notifier.send(
        f"{context.spec.name}: version {version} in shadow beside champion {champion}",
        "Every live prediction is also scored by the challenger, off the request path; "
        "callers still get the champion's answer.", incident_id=incident_id, kind="outcome")
    return {"challenger": state.challenger, "champion": state.champion,
            "revision": state.revision, "started_at": state.started_at.isoformat()}


def _iso(at) -> str | None:
    return at.isoformat() if at is not None else None


class ReloadModel(Tool):
    """Ask every serving process to load the current champion again."""

    name = "reload_model"
    description = ("Ask every serving process to reload the registry's champion "
                   "(they follow within seconds).")
    risk = "safe"
    strength = 2
    Args = NoArgs

    def run(self, context: ToolContext, args: NoArgs) -> ToolResult:
        champion = context.registry.alias("champion")
        if champion is None:
            return ToolResult(status="no_data", message="no champion to serve")
        earlier = _serving_checks(context)
        generation = context.registry.request_reload(actor="medic agent")
        return ToolResult(status="success", data={"requested": generation,
                                                  "champion": champion, "before": earlier},
                          message=f"reload of version {champion} requested (generation "
                                  f"{generation}): serving processes follow within seconds")

    def helped(self, result: ToolResult, context: ToolContext) -> tuple[bool, str]:
        """Not helped if the champion moved meanwhile (else verify measures it later)."""
        now = context.registry.alias("champion")
        if now != result.data.get("champion"):
            return False, f"champion is {now}, not {result.data.get('champion')}"
        return True, (f"reload generation {result.data.get('requested')} recorded: "
                      f"serving processes load version {now}")

    def measure_later(self, result: ToolResult, context: ToolContext) -> dict | None:
        """Measure the serving monitors after the reload against their checks before it."""
        if context.registry.alias("champion") != result.data.get("champion"):
            return None  # `helped` says why it did not
        return {"kind": "serving", "before": result.data.get("before") or {},
                "line": "error rate and load failures measured over windows after the "
                        "reload, against the checks before it"}


def _serving_checks(context: ToolContext) -> dict:
    """Return the serving monitors' last checks (what a reload is measured against)."""
    from ml.monitoring import definitions
    from ml.serving import outcome as serving_outcome

    if context.monitors_config is None:
        return {}
    return serving_outcome.before(context.sessions, definitions.load(context.monitors_config),
                                  model=context.spec.name)


class NotifyArgs(BaseModel):
    """A message for people."""

    model_config = {"extra": "forbid"}
    subject: str = Field(..., min_length=1, max_length=300)
    body: str = Field("", max_length=10000)
    incident_id: int | None = Field(None, ge=1, description="The incident to link to.")


class Notify(Tool):
    """Tell the people on the notification channels."""

    name = "notify"
    description = "Send a message to the configured notification channels."
    risk = "safe"
    strength = 1
    Args = NotifyArgs

    def run(self, context: ToolContext, args: NotifyArgs) -> ToolResult:
        # a person is asked to look: it goes where escalations go (every channel by default)
        channels = context.notifier.send(args.subject, args.body, kind="escalation",
                                         incident_id=args.incident_id)
        if not channels:
            return ToolResult(status="stored_only", message="stored; no channel configured "
                              "or routed for it", data={"channels": []})
        return ToolResult(status="success", message="queued for " + ", ".join(channels),
                          data={"channels": channels})

    def default_args(self, incident: IncidentView) -> dict:
        """Say which incident needs a person's look."""
        body = ("Drift measured without an F1 loss beyond the threshold (from labels, or "
                "estimated while they lag): watching, no retrain."
                if incident.alert.get("type") == "drift"
                else "An alert of unknown type needs a person's look.")
        return {"subject": f"Medic {incident.title}"[:300], "body": body,
                "incident_id": incident.incident_id}
