"""Fit on the reference plus earlier labelled production rows; promote only through the gate."""

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from ml.data import features
from ml.spec import ModelSpec
from ml.training import gate
from ml.training.heal_config import GateConfig
from ml.training.snapshot import SOURCE, TrainingSet, remember, snapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProductionData:
    """Labelled production rows split in time: the earlier to fit on, the later to judge."""

    fit: pd.DataFrame
    judge: pd.DataFrame
    gate: GateConfig
    folder: Path
    """Where training sets are snapshotted."""
    dvc_remote: str = ""
    """Where they are pushed (`MEDIC_DVC_REMOTE`); empty: not pushed."""
    since: datetime | None = None
    """The start of the window the rows were read from (for judging again later)."""
    hold: bool = False
    """Keep a version the gate passes as challenger (it earns promotion in shadow)."""


def assemble(x_train: pd.DataFrame, y_train: pd.Series, site: str, production: ProductionData,
             spec: ModelSpec) -> tuple[pd.DataFrame, pd.Series, TrainingSet]:
    """Return the training features and labels (reference, then production) and the snapshot."""
    label = spec.label
    reference = x_train.assign(**{label: y_train.to_numpy(), SOURCE: f"reference-{site}"})
    fresh = production.fit.loc[:, [*spec.feature_names, label]].assign(
        **{SOURCE: "production"})
    combined = pd.concat([reference, fresh], ignore_index=True)
    training_set = snapshot(combined, production.folder, spec, remote=production.dvc_remote)
    return features(combined, spec), combined[label].astype(y_train.dtype), training_set


@dataclass
class Admission:
    """A candidate through the minimum-F1 check: registered, or the final result already."""

    result: dict | None = None
    """Set when nothing is left to decide (rejected, or the first model became champion)."""
    version: str | None = None
    model_uri: str = ""
    champion: object = None
    """The champion before this version."""


def admit(best, registry, *, min_f1: float, actor: str, metric_name: str = "f1") -> Admission:
    """Register the best candidate if it reaches the minimum; a first model becomes champion.

    `min_f1` is the bar in `metric_name`: a floor for a score, a ceiling for an error (MAE).
    """
    import mlflow

    from ml.spec import higher_is_better

    f1, name = best.test[metric_name], metric_name.upper()
    if (f1 < min_f1) if higher_is_better(metric_name) else (f1 > min_f1):
        bar = "under the minimum" if higher_is_better(metric_name) else "over the maximum"
        return Admission({"best": best.name, "decision": "rejected",
                          "reason": f"best model {best.name} reached held-out {name} "
                                    f"{f1:.3f}, {bar} {min_f1:.3f}; nothing registered"})
    model_uri = mlflow.get_run(best.run_id).data.tags["model_uri"]
    version = registry.register(model_uri, model_type=best.name)
    champion = registry.champion()
    if champion is None:
        registry.promote(version, expected=None, actor=actor, reason="first model registered")
        return Admission({"best": best.name, "version": version, "decision": "champion",
                          "reason": f"no champion yet; {best.name} ({name} {f1:.3f}) "
                                    "becomes champion"})
    return Admission(version=version, model_uri=model_uri, champion=champion)


def register(best, registry, production: ProductionData, spec: ModelSpec, *, min_f1: float,
             x_test: pd.DataFrame, y_test: pd.Series, actor: str,
             training_set: TrainingSet | None = None, metric_name: str = "f1") -> dict:
    """Register the best candidate; make it champion only if the production gate says so.

    The training set is stored with the version before any alias moves, so the monitors
    and verify know from the start which rows the new champion learnt from.
    """
    import mlflow.sklearn

    admitted = admit(best, registry, min_f1=min_f1, actor=actor, metric_name=metric_name)
    if admitted.result is not None:
        return admitted.result
    version, model_uri, champion = admitted.version, admitted.model_uri, admitted.champion
    if training_set is not None:
        remember(registry.sessions, registry.name, version, training_set)
    reference = x_test.assign(**{spec.label: y_test.to_numpy()})
    verdict = gate.judge((champion.version, registry.load(champion.version)),
                         (version, mlflow.sklearn.load_model(model_uri)),
                         production=production.judge, reference=reference,
                         config=production.gate, spec=spec)
    verdict.production_since = production.since
    if len(production.judge):
        verdict.judge_since = production.judge["created_at"].min().to_pydatetime()
    mlflow.log_dict(verdict.model_dump(mode="json"), "gate/verdict.json")
    mlflow.log_text(gate.render(verdict), "gate/table.txt")
    mlflow.set_tag("gate", verdict.decision)
    reason = f"v{version} vs champion v{champion.version}: {verdict.reason}"
    decision = verdict.decision
    if decision == "champion" and production.hold:
        decision, reason = "challenger", f"{reason}; held as challenger for its shadow"
    if decision == "champion":
        registry.promote(version, expected=champion.version, actor=actor, reason=reason)
    else:
        registry.set_challenger(version, actor=actor, reason=reason)
    return {"best": best.name, "version": version, "decision": decision,
            "reason": reason, "champion_test_score": verdict.score("champion", "reference").value,
            "champion_test_metric": verdict.metric,
            "gate": verdict.model_dump(mode="json")}
