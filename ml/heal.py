"""Retrain for a remediation: on what production taught, or not at all when it taught nothing."""

import logging
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel

from core.clock import utcnow
from ml import production, train
from ml.heal_config import HealConfig
from ml.retraining import ProductionData

log = logging.getLogger(__name__)


class RetrainOutcome(BaseModel):
    """What a remediation retrain did: trained (with the result) or why it did not."""

    status: Literal["trained", "no_new_data", "no_champion"]
    reason: str
    result: train.TrainingResult | None = None


def retrain(settings, registry, sessions, *, actor: str, config: HealConfig | None = None,
            window_minutes: int | None = None, now: datetime | None = None) -> RetrainOutcome:
    """Retrain on the reference plus labelled production rows from the window.

    With no label received since the champion was registered, nothing is fitted: a model
    trained on the same data as the champion would be the champion under a new number.
    """
    config = config or HealConfig.from_yaml(settings.retrain_config)
    champion = registry.champion()
    if champion is None:
        return RetrainOutcome(status="no_champion", reason="no champion to improve on")
    fresh = production.labels_since(sessions, champion.created_at)
    if fresh == 0:
        return RetrainOutcome(
            status="no_new_data",
            reason=(f"no labelled production rows since champion v{champion.version} was "
                    f"trained ({champion.created_at:%Y-%m-%d %H:%M} UTC): drift without labels"
                    " — collect feedback, or approve a rollback"))
    minutes = window_minutes or config.window_minutes
    rows = production.labelled(sessions, since=(now or utcnow()) - timedelta(minutes=minutes))
    fit, judge = production.split_in_time(rows, config.gate.judge_share)
    log.info("retraining on %d labelled production rows (%d judge)", len(fit), len(judge))
    data = ProductionData(fit=fit, judge=judge, gate=config.gate,
                          folder=settings.home / "training-sets",
                          dvc_remote=settings.dvc_remote)
    result = train.run(settings, registry, actor=actor, production=data)
    return RetrainOutcome(status="trained", reason=result.reason, result=result)
