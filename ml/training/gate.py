"""Judge a challenger against the champion on recent production, reference and subgroups."""

import logging
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel

from ml.spec import ModelSpec
from ml.training.bootstrap import Interval, Metric, metric, paired
from ml.training.heal_config import GateConfig

log = logging.getLogger(__name__)

SETS = ("production", "reference")


Verdict = Literal["promoted", "refused", "undecided"]


class GateRow(BaseModel):
    """One model's score on one slice of one judging set."""

    model: Literal["champion", "challenger"]
    version: str | None
    dataset: str
    group: str
    rows: int
    value: float
    """The configured metric (`gate.metric`)."""
    roc_auc: float | None = None
    """Classifiers only, shown beside it."""


class GateResult(BaseModel):
    """The gate's verdict, why, and every number it looked at."""

    decision: Literal["champion", "challenger"]
    verdict: Verdict = "undecided"
    """Promoted; refused (judged worse, no better, or a check failed); undecided: collecting."""
    reason: str
    checks: list[str]
    table: list[GateRow]
    metric: str = "f1"
    interval: Interval | None = None
    """The improvement on the production judging rows, with its bootstrap interval."""
    production_since: datetime | None = None
    """The labelled production rows the retrain read start here."""
    judge_since: datetime | None = None
    """Labelled rows from here on judge: the challenger never trained on them."""

    def score(self, model: str, dataset: str, group: str = "all") -> GateRow:
        """Return one row of the table."""
        return next(r for r in self.table
                    if (r.model, r.dataset, r.group) == (model, dataset, group))


def groups(frame: pd.DataFrame, spec: ModelSpec) -> dict[str, pd.Series]:
    """Return the subgroup masks: all, then the spec's segments whose column the frame has."""
    masks = {"all": pd.Series(True, index=frame.index)}
    for segment in spec.segments:
        if segment.column not in frame:
            continue
        values = frame[segment.column]
        masks |= {name: values == value for name, value in segment.values.items()}
        masks |= {band.name: (values >= band.low) & (values < band.high)
                  for band in segment.bands}
    return masks


def predictions(model, x: pd.DataFrame) -> np.ndarray:
    """Return a classifier's positive-class probabilities, or a regressor's predictions."""
    if hasattr(model, "predict_proba"):
        return np.asarray(model.predict_proba(x))[:, 1]
    return np.asarray(model.predict(x), dtype=float)


def _auc(truth: pd.Series, predicted: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(truth, predicted)) if truth.nunique() > 1 else 0.0


def table(models: dict[str, tuple[str | None, object]], sets: dict[str, pd.DataFrame],
          measure: Metric, spec: ModelSpec
          ) -> tuple[list[GateRow], dict[tuple[str, str], np.ndarray]]:
    """Score each model on each set and subgroup; return the rows and the predictions."""
    from ml.data import features

    rows, predicted = [], {}
    for dataset, frame in sets.items():
        masks = groups(frame, spec)
        for model, (version, pipeline) in models.items():
            found = predicted[model, dataset] = predictions(pipeline, features(frame, spec))
            for group, mask in masks.items():
                truth, mine = frame.loc[mask, spec.label], found[mask.to_numpy()]
                value = float(measure.score(truth.to_numpy(dtype=float), mine)) \
                    if mask.any() else 0.0
                auc = _auc(truth, mine) if mask.any() and hasattr(pipeline, "predict_proba") \
                    else None
                rows.append(GateRow(model=model, version=version, dataset=dataset, group=group,
                                    rows=int(mask.sum()), value=value, roc_auc=auc))
    return rows, predicted


def judge(champion: tuple[str | None, object], challenger: tuple[str | None, object], *,
          production: pd.DataFrame, reference: pd.DataFrame,
          config: GateConfig, spec: ModelSpec) -> GateResult:
    """Decide whether the challenger may become champion, and say why.

    The improvement on the production judging rows gets a paired bootstrap interval:
    promoted when the whole interval is above zero and no check fails; refused when it is
    below zero or the reference hold-out or a subgroup loses more than its tolerance;
    otherwise (a tie, or too wide to tell) undecided — it stays challenger and is judged
    again as labels arrive. Under `min_rows` rows: undecided, no interval.
    """
    measure = metric(config.metric)
    rows, predicted = table({"champion": champion, "challenger": challenger},
                            {"production": production, "reference": reference}, measure, spec)
    result = GateResult(decision="challenger", reason="", checks=[], table=rows,
                        metric=measure.name)
    name = measure.name.upper()
    if len(production) < config.min_rows:
        result.reason = (f"undecided: collecting rows — {len(production)} labelled production "
                         f"rows to judge on, {config.min_rows} needed for an interval; kept as "
                         "challenger until more labels arrive")
        return result
    interval = result.interval = paired(
        production[spec.label], predicted["champion", "production"],
        predicted["challenger", "production"], measure, confidence=config.confidence,
        samples=config.samples, seed=config.seed)
    result.checks.append(f"production: {interval.describe()}")
    held, noisy = _failures(result, config, measure)
    old, new = result.score("champion", "reference"), result.score("challenger", "reference")
    summary = (f"production {interval.describe()}; reference {name} {old.value:.3f} -> "
               f"{new.value:.3f}")
    result.verdict = rule(interval, held=bool(held), noisy=bool(noisy))
    if result.verdict == "refused" and interval.high < 0:
        why = f"worse on recent production ({summary})"
    elif result.verdict == "refused":
        why = f"{'; '.join(held + noisy)} ({summary})"
    elif result.verdict == "promoted":
        why = summary
    else:
        why = (
            f"collecting rows — cannot yet tell it from the champion: {summary}"
            + (f"; also {'; '.join(noisy)}" if noisy else "")
            + "; kept as challenger until more labels arrive")
    if result.verdict == "promoted":
        result.decision = "champion"
    result.reason = f"{result.verdict}: {why}"
    log.info("gate: %s", result.reason)
    return result


def rule(interval: Interval, *, held: bool = False, noisy: bool = False) -> Verdict:
    """Return the gate's verdict on an improvement's interval: the one rule, wherever judged.

    Refused when the whole interval is below zero, when a fixed check failed (`held`: the
    reference hold-out, a reference subgroup), or when a noisy check failed (`noisy`: a
    production subgroup) while the challenger looks better; promoted when the whole
    interval is above zero; undecided otherwise (a tie, or too few rows to tell). The gate
    judges held-back rows with it (`judge`), a rollout its live rows (`services/rollouts`).
    """
    if interval.high < 0 or held or (noisy and interval.low > 0):
        return "refused"
    if interval.low > 0:
        return "promoted"
    return "undecided"


def _failures(result: GateResult, config: GateConfig,
              measure: Metric) -> tuple[list[str], list[str]]:
    """Return the failed checks: on the reference (fixed), on production subgroups (noisy)."""
    sign = 1.0 if measure.higher_is_better else -1.0
    name = measure.name.upper()
    held, noisy = [], []
    old, new = result.score("champion", "reference"), result.score("challenger", "reference")
    loss = sign * (old.value - new.value)
    result.checks.append(f"reference: {name} {old.value:.3f} -> {new.value:.3f}, tolerance "
                         f"{config.reference_tolerance}")
    if loss > config.reference_tolerance:
        held.append(f"reference hold-out {name} worsens by {loss:.3f}")
    for row in result.table:
        if row.model != "challenger" or row.group == "all" or row.rows < config.min_group_rows:
            continue
        before = result.score("champion", row.dataset, row.group)
        loss = sign * (before.value - row.value)
        if loss > config.subgroup_tolerance:
            (held if row.dataset == "reference" else noisy).append(
                f"subgroup {row.group} on {row.dataset} loses {loss:.3f} {name} "
                f"({row.rows} rows)")
    return held, noisy


def render(result: GateResult) -> str:
    """Return the table as text lines, for an incident or a log."""
    name = result.metric.upper()
    auc = any(r.roc_auc is not None for r in result.table)
    head = f"{name}/AUC" if auc else name
    lines = [f"{'set':<11}{'group':<11}{'rows':>5}  {'champion ' + head:<18}challenger {head}"]
    for row in (r for r in result.table if r.model == "champion"):
        new = result.score("challenger", row.dataset, row.group)
        lines.append(f"{row.dataset:<11}{row.group:<11}{row.rows:>5}  "
                     f"{_cell(row):<18}{_cell(new)}")
    if result.interval is not None:
        lines.append(f"improvement: {result.interval.describe()}")
    return "\n".join(lines)


def _cell(row: GateRow) -> str:
    return f"{row.value:.3f}" + (f" / {row.roc_auc:.3f}" if row.roc_auc is not None else "")
