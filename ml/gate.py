"""Judge a challenger against the champion on recent production, reference and subgroups."""

import logging
from typing import Literal

import pandas as pd
from pydantic import BaseModel

from ml import evaluate
from ml.heal_config import GateConfig
from ml.schema import LABEL

log = logging.getLogger(__name__)

AGE_BANDS = ((0, 50, "age <50"), (50, 60, "age 50-59"), (60, 200, "age 60+"))
SETS = ("production", "reference")


class GateRow(BaseModel):
    """One model's scores on one slice of one judging set."""

    model: Literal["champion", "challenger"]
    version: str | None
    dataset: str
    group: str
    rows: int
    f1: float
    roc_auc: float


class GateResult(BaseModel):
    """The gate's verdict, why, and every number it looked at."""

    decision: Literal["champion", "challenger"]
    reason: str
    checks: list[str]
    table: list[GateRow]

    def score(self, model: str, dataset: str, group: str = "all") -> GateRow:
        """Return one row of the table."""
        return next(r for r in self.table
                    if (r.model, r.dataset, r.group) == (model, dataset, group))


def groups(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Return the subgroup masks: all, female, male, and the age bands."""
    masks = {"all": pd.Series(True, index=frame.index), "female": frame["sex"] == 0,
             "male": frame["sex"] == 1}
    for low, high, name in AGE_BANDS:
        masks[name] = (frame["age"] >= low) & (frame["age"] < high)
    return masks


def table(models: dict[str, tuple[str | None, object]],
          sets: dict[str, pd.DataFrame]) -> list[GateRow]:
    """Score each model on each set and subgroup."""
    from ml.data import features

    rows = []
    for dataset, frame in sets.items():
        masks = groups(frame)
        for model, (version, pipeline) in models.items():
            probability = pd.Series(pipeline.predict_proba(features(frame))[:, 1],
                                    index=frame.index)
            for group, mask in masks.items():
                scored = evaluate.scores(frame.loc[mask, LABEL], probability[mask].to_numpy()) \
                    if mask.any() else {"f1": 0.0, "roc_auc": 0.0}
                rows.append(GateRow(model=model, version=version, dataset=dataset, group=group,
                                    rows=int(mask.sum()), f1=scored["f1"],
                                    roc_auc=scored["roc_auc"]))
    return rows


def judge(champion: tuple[str | None, object], challenger: tuple[str | None, object], *,
          production: pd.DataFrame, reference: pd.DataFrame,
          config: GateConfig) -> GateResult:
    """Decide whether the challenger may become champion, and say why.

    Champion only if better on recent production by the margin, not worse on the
    reference hold-out beyond its tolerance, and no judged subgroup loses more than its
    tolerance; with too few production rows, no verdict: it stays challenger.
    """
    rows = table({"champion": champion, "challenger": challenger},
                 {"production": production, "reference": reference})
    result = GateResult(decision="challenger", reason="", checks=[], table=rows)
    if len(production) < config.min_rows:
        result.reason = (f"too few labelled production rows to judge: {len(production)} "
                         f"(need {config.min_rows}); kept as challenger")
        return result
    failed = _failures(result, config)
    old, new = result.score("champion", "production"), result.score("challenger", "production")
    summary = (f"production F1 {old.f1:.3f} -> {new.f1:.3f} on {new.rows} later rows; "
               f"reference F1 {result.score('champion', 'reference').f1:.3f} -> "
               f"{result.score('challenger', 'reference').f1:.3f}")
    if failed:
        result.reason = f"kept as challenger: {'; '.join(failed)} ({summary})"
    else:
        result.decision, result.reason = "champion", f"promoted: {summary}"
    log.info("gate: %s", result.reason)
    return result


def _failures(result: GateResult, config: GateConfig) -> list[str]:
    failed = []
    old, new = result.score("champion", "production"), result.score("challenger", "production")
    result.checks.append(f"production: {new.f1:.3f} vs {old.f1:.3f} + margin {config.margin}")
    if new.f1 < old.f1 + config.margin:
        failed.append(f"not better on recent production by {config.margin} F1")
    old, new = result.score("champion", "reference"), result.score("challenger", "reference")
    result.checks.append(f"reference: {new.f1:.3f} vs {old.f1:.3f} - tolerance "
                         f"{config.reference_tolerance}")
    if new.f1 < old.f1 - config.reference_tolerance:
        failed.append(f"reference hold-out F1 falls {old.f1 - new.f1:.3f}")
    for row in result.table:
        if row.model != "challenger" or row.group == "all" or row.rows < config.min_group_rows:
            continue
        before = result.score("champion", row.dataset, row.group)
        if row.f1 < before.f1 - config.subgroup_tolerance:
            failed.append(f"subgroup {row.group} on {row.dataset} loses "
                          f"{before.f1 - row.f1:.3f} F1 ({row.rows} rows)")
    return failed


def render(result: GateResult) -> str:
    """Return the table as text lines, for an incident or a log."""
    lines = [f"{'set':<11}{'group':<11}{'rows':>5}  champion F1/AUC   challenger F1/AUC"]
    for row in (r for r in result.table if r.model == "champion"):
        new = result.score("challenger", row.dataset, row.group)
        lines.append(f"{row.dataset:<11}{row.group:<11}{row.rows:>5}  {row.f1:.3f} / "
                     f"{row.roc_auc:.3f}     {new.f1:.3f} / {new.roc_auc:.3f}")
    return "\n".join(lines)
