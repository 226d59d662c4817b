"""Retrain for a remediation on what production taught (or not at all); judge a kept one again."""

import logging
from datetime import datetime, timedelta
from typing import Literal

import pandas as pd
from pydantic import BaseModel

from core.clock import utcnow
from ml import data
from ml.spec import ModelSpec
from ml.training import gate, production, train
from ml.training.heal_config import GateConfig, HealConfig
from ml.training.retrain import ProductionData

log = logging.getLogger(__name__)


class RetrainOutcome(BaseModel):
    """What a remediation retrain did: trained (with the result) or why it did not."""

    status: Literal["trained", "requested", "not_requested", "no_new_data", "no_champion"]
    reason: str
    result: train.TrainingResult | None = None
    rows: int = 0
    """Requested: the labelled rows exported for the team's pipeline."""


def request(settings, sessions, spec: ModelSpec, *, actor: str,
            incident_id: int | None) -> RetrainOutcome:
    """Ask the team's own pipeline to retrain a model trained elsewhere (its signed hook)."""
    from ml.training import hook

    sent = hook.request_retrain(settings, spec, incident_id=incident_id or 0, actor=actor,
                                sessions=sessions)
    if not sent.sent:
        return RetrainOutcome(status="not_requested",
                              reason=f"retrain hook of {spec.name} {sent.text}")
    return RetrainOutcome(
        status="requested", rows=sent.rows,
        reason=(f"retrain requested from {spec.name}'s own pipeline (hook sent, {sent.rows} "
                "labelled rows exported); a version it registers serves only once promoted"))


def retrain(settings, registry, sessions, *, actor: str, config: HealConfig | None = None,
            window_minutes: int | None = None, now: datetime | None = None,
            spec: ModelSpec | None = None) -> RetrainOutcome:
    """Retrain a model on its reference plus its labelled production rows from the window.

    The model is `spec`'s (default: the default model).
    With no label received since the champion was registered, nothing is fitted: a model
    trained on the same data as the champion would be the champion under a new number.
    """
    from ml import spec as specs

    spec = spec or specs.of(settings)
    config = config or HealConfig.for_model(settings.retrain_config, spec)
    champion = registry.champion()
    if champion is None:
        return RetrainOutcome(status="no_champion", reason="no champion to improve on")
    fresh = production.labels_since(sessions, champion.created_at, model=spec.name)
    if fresh == 0:
        return RetrainOutcome(
            status="no_new_data",
            reason=(f"no labelled production rows since champion v{champion.version} was "
                    f"trained ({champion.created_at:%Y-%m-%d %H:%M} UTC): drift without labels"
                    " — collect feedback, or approve a rollback"))
    minutes = window_minutes or config.window_minutes
    since = (now or utcnow()) - timedelta(minutes=minutes)
    rows = production.labelled(sessions, since=since, spec=spec)
    fit, judge = production.split_in_time(rows, config.gate.judge_share)
    log.info("retraining on %d labelled production rows (%d judge)", len(fit), len(judge))
    learned = ProductionData(fit=fit, judge=judge, gate=config.gate,
                             folder=settings.home / "training-sets",
                             dvc_remote=settings.dvc_remote, since=since,
                             hold=config.shadow.enabled)
    result = train.run(settings, registry, actor=actor, production=learned, spec=spec)
    return RetrainOutcome(status="trained", reason=result.reason, result=result)


def holdout(data_dir, config, spec: ModelSpec) -> pd.DataFrame:
    """Return the reference hold-out every retrain is judged on (the training split's test part)."""
    _, x_test, _, y_test = train.split(data.reference(spec, data_dir), config, spec)
    return x_test.assign(**{spec.label: y_test.to_numpy()})


def rejudge(sessions, registry, *, champion: str, challenger: str, since: datetime,
            judge_since: datetime, reference: pd.DataFrame, config: GateConfig,
            actor: str, spec: ModelSpec) -> gate.GateResult:
    """Judge a kept challenger again on every labelled row since its judging rows began.

    Rows are read from the retrain's window start, so a patient it trained on who comes
    back later is still counted once, as a training row, and never judges. Promoted if the
    gate now says so.
    """
    rows = production.labelled(sessions, since=since, spec=spec)
    judging = rows[rows["created_at"] >= judge_since].reset_index(drop=True)
    verdict = gate.judge((champion, registry.load(champion)),
                         (challenger, registry.load(challenger)),
                         production=judging, reference=reference, config=config, spec=spec)
    verdict.production_since, verdict.judge_since = since, judge_since
    if verdict.decision == "champion":
        registry.promote(challenger, expected=champion, actor=actor,
                         reason=f"v{challenger} vs champion v{champion}, judged again as labels "
                                f"arrived: {verdict.reason}")
    return verdict
