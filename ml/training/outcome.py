"""Measure an action's outcome on live labelled traffic: the new champion against the old."""

import logging
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel

from ml.data import features
from ml.spec import ModelSpec, higher_is_better
from ml.training import evaluate, production, snapshot
from ml.training.gate import predictions
from ml.training.heal_config import VerifyConfig

log = logging.getLogger(__name__)

Verdict = Literal["waiting", "fixed", "not_fixed", "regressed"]


class Outcome(BaseModel):
    """The measured change after the champion moved from `before` to `after`."""

    verdict: Verdict
    line: str
    rows: int
    excluded: int = 0
    """Labelled predictions left out: the new champion trained on those patients."""
    before: dict[str, float | str] = {}
    after: dict[str, float | str] = {}


def measure(sessions, registry, *, before: str, after: str, since: datetime, now: datetime,
            config: VerifyConfig, spec: ModelSpec) -> Outcome:
    """Score both versions on the labelled predictions the new champion served since `since`.

    Both are judged on the same rows, so the change is the model's, not the traffic's.
    Rows whose patient the new champion trained on (its stored training set) are left
    out and counted: a model scores well on what it learnt from. Too few rows: `waiting`
    until the deadline, then `not_fixed` for want of labels.
    """
    rows = production.labelled(sessions, since=since, spec=spec)
    rows = rows[rows["model_version"] == str(after)]
    rows, excluded = _unseen(registry, after, rows, spec)
    left_out = f" ({excluded} left out: v{after} trained on them)" if excluded else ""
    if len(rows) < config.min_labelled:
        if now < since + timedelta(hours=config.deadline_hours):
            return Outcome(verdict="waiting", rows=len(rows), excluded=excluded,
                           line=f"waiting: {len(rows)} of {config.min_labelled} labelled "
                                f"predictions by v{after}{left_out}")
        return Outcome(verdict="not_fixed", rows=len(rows), excluded=excluded,
                       line=f"not fixed: only {len(rows)} labelled predictions by v{after} "
                            f"within {config.deadline_hours:g} h{left_out}; nothing measured")
    metric = spec.gate.metric
    if spec.external:  # trained elsewhere: scored as it was logged, any MLflow flavour
        from ml.serving.external import as_logged

        replaced = as_logged(registry, before, spec)
    else:
        replaced = registry.load(before)
    old = predictions(replaced, features(rows, spec))
    truth = rows[spec.label]
    scored_before = {"version": str(before), **evaluate.task_scores(spec, truth, old)}
    scored_after = {"version": str(after), **evaluate.task_scores(
        spec, truth, rows["probability"].to_numpy())}
    sign = 1.0 if higher_is_better(metric) else -1.0  # a fall in an error is a gain
    change = sign * (scored_after[metric] - scored_before[metric])
    digits = 2 if higher_is_better(metric) else 1
    numbers = (f"{metric.upper()} {scored_before[metric]:.{digits}f} → "
               f"{scored_after[metric]:.{digits}f} on {len(rows)} labelled predictions "
               f"(v{before} → v{after}){left_out}")
    if change >= config.margin:
        verdict, line = "fixed", f"fixed: {numbers}"
    elif change <= -config.margin:
        verdict, line = "regressed", f"regressed: {numbers}; v{after} is worse than v{before}"
    else:
        verdict, line = "not_fixed", f"not fixed: {numbers}, a change under {config.margin:g}"
    log.info("outcome: %s", line)
    return Outcome(verdict=verdict, line=line, rows=len(rows), excluded=excluded,
                   before=scored_before, after=scored_after)


def _unseen(registry, version: str, rows, spec: ModelSpec):
    """Return the rows whose patient `version` never trained on, and how many were not."""
    stored = snapshot.recorded(registry.sessions, registry.name, version)
    learnt = snapshot.read(stored, spec) if stored is not None else None
    if learnt is None or rows.empty:
        return rows, 0
    seen = snapshot.seen(rows, learnt, spec)
    return rows[~seen], int(seen.sum())
