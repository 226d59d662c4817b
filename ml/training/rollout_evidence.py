"""Measure a rollout's champion and challenger on the same live rows, and decide by the gate.

`evidence` reads the rows both models scored in a model's current rollout (the answering
model's row in the prediction log, the other's score in `shadow_predictions`, the feedback
label) and measures each model's metric (the gate's, from the spec) with its bootstrap
interval, the paired improvement, agreement and each segment; `decide` applies the gate's
own rule (`ml.training.gate.rule`) to it. The agent's sweep and the service layer both call
them; neither reads anything but the database, the spec and the remediation config.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Text, cast, select

from core.rollouts import RolloutState, Stage
from core.tables import Feedback, Prediction, ShadowPrediction

if TYPE_CHECKING:
    from ml.spec import ModelSpec
    from ml.training.heal_config import HealConfig

MOST_ROWS = 10_000
"""The latest rows of a rollout its evidence reads at most."""


class Score(BaseModel):
    """One model's metric on the rollout's labelled rows, with its bootstrap interval."""

    version: str
    value: float
    low: float
    high: float


class Segment(BaseModel):
    """Both models on one subgroup of the labelled rows (the spec's `segments`)."""

    group: str
    rows: int
    champion: Score | None = None
    challenger: Score | None = None
    agreement: float | None = None


class Improvement(BaseModel):
    """How much better the challenger is on the same rows (positive: better), paired."""

    value: float
    low: float
    high: float
    confidence: float
    samples: int
    seed: int


class RolloutEvidence(BaseModel):
    """Both models on exactly the same live rows: what `decide` judges."""

    model: str
    stage: Stage
    champion: str | None
    challenger: str
    metric: str
    higher_is_better: bool
    paired: int = Field(description="rows scored by both models so far")
    rows: int = Field(description="of those, rows with a feedback label")
    agreement: float | None = Field(None, description="share of the paired rows on which the "
                                    "two agree: the same class, or (regressors) within "
                                    "`agreement_tolerance`")
    champion_score: Score | None = None
    challenger_score: Score | None = None
    improvement: Improvement | None = None
    segments: list[Segment] = []
    started_at: datetime


class RolloutDecision(BaseModel):
    """What the evidence says: promote, abort, or collect more rows."""

    decision: Literal["promote", "abort", "undecided"]
    reason: str
    past_deadline: bool = Field(False, description="undecided past the gate's `collect_hours`:"
                                " a person should decide")


def evidence(sessions, spec: "ModelSpec", state: RolloutState,
             config: "HealConfig") -> RolloutEvidence:
    """Measure champion and challenger on the same live rows of the model's current rollout.

    A row counts once both models scored it: the model that answered in the prediction log,
    the other in `shadow_predictions`. Each model's metric (the gate's, from the spec) gets
    a bootstrap interval, the improvement a paired one at the gate's confidence; agreement
    is over every paired row, labelled or not; segments are the spec's.
    """
    import numpy as np

    from ml.training.bootstrap import metric

    gate = config.gate
    measure = metric(gate.metric)
    pairs = _pairs(sessions, state)
    found = RolloutEvidence(model=state.model, stage=state.stage, champion=state.champion,
                            challenger=state.challenger, metric=measure.name,
                            higher_is_better=measure.higher_is_better, paired=len(pairs),
                            rows=sum(1 for p in pairs if p[2] is not None),
                            started_at=state.started_at)
    if not pairs:
        return found
    old = np.array([p[0] for p in pairs], dtype=float)
    new = np.array([p[1] for p in pairs], dtype=float)
    found.agreement = float(_agree(spec, old, new).mean())
    labelled = [i for i, p in enumerate(pairs) if p[2] is not None]
    if not labelled:
        return found
    truth = np.array([pairs[i][2] for i in labelled], dtype=float)
    old, new = old[labelled], new[labelled]
    found.champion_score, found.challenger_score = (
        _score(version, truth, values, measure, gate)
        for version, values in ((state.champion or "none", old), (state.challenger, new)))
    found.improvement = _improvement(truth, old, new, measure, gate)
    found.segments = _segments(spec, [pairs[i][3] for i in labelled], truth, old, new, state,
                               measure, gate)
    return found


def decide(found: RolloutEvidence, config: "HealConfig", *,
           now: datetime | None = None) -> RolloutDecision:
    """Say promote, abort or undecided: the gate's rule on the rollout's labelled live rows.

    Under the gate's `min_rows` labelled rows: undecided. Otherwise the paired improvement's
    interval (at the gate's confidence) and the spec's segments (a subgroup of at least
    `min_group_rows` losing more than `subgroup_tolerance`) go through `gate.rule`: promoted
    is `promote`, refused is `abort`. Undecided past `collect_hours` says so.
    """
    from ml.training.bootstrap import Interval
    from ml.training.gate import rule

    gate = config.gate
    late = now is not None and now - found.started_at > timedelta(hours=gate.collect_hours)
    if found.rows < gate.min_rows or found.improvement is None:
        return RolloutDecision(decision="undecided", past_deadline=late, reason=(
            f"collecting rows: {found.rows} labelled live rows scored by both, "
            f"{gate.min_rows} needed"))
    if found.improvement.confidence != gate.confidence:
        raise ValueError(f"the evidence's interval is at {found.improvement.confidence:.0%}, "
                         f"the gate's confidence is {gate.confidence:.0%}")
    sign = 1.0 if found.higher_is_better else -1.0
    losing = [f"{s.group} loses {sign * (s.champion.value - s.challenger.value):.3f}"
              for s in found.segments
              if s.champion is not None and s.challenger is not None
              and s.rows >= gate.min_group_rows
              and sign * (s.champion.value - s.challenger.value) > gate.subgroup_tolerance]
    gain = found.improvement
    interval = Interval(metric=found.metric, higher_is_better=found.higher_is_better,
                        rows=found.rows, champion=found.champion_score.value,
                        challenger=found.challenger_score.value, improvement=gain.value,
                        low=gain.low, high=gain.high, confidence=gain.confidence,
                        samples=gain.samples, seed=gain.seed)
    verdict = rule(interval, noisy=bool(losing))
    decision = {"promoted": "promote", "refused": "abort"}.get(verdict, "undecided")
    reason = interval.describe() + (f"; subgroups: {', '.join(losing)}" if losing else "")
    return RolloutDecision(decision=decision, reason=f"{decision}: {reason}",
                           past_deadline=late and decision == "undecided")


def describe(found: RolloutEvidence) -> list[str]:
    """Return the evidence as lines a person reads (an approval's diagnosis, a message)."""
    metric = found.metric.upper()
    lines = []
    for name, score in (("champion", found.champion_score),
                        ("challenger", found.challenger_score)):
        if score is not None:
            lines.append(f"{name} v{score.version}: {metric} {score.value:.3f} (interval "
                         f"{score.low:.3f} to {score.high:.3f}) on the same {found.rows} "
                         "labelled live rows")
    if found.improvement is not None:
        gain = found.improvement
        lines.append(f"paired improvement {gain.value:+.3f} ({gain.confidence:.0%} interval "
                     f"{gain.low:+.3f} to {gain.high:+.3f}; positive: the challenger is "
                     "better)")
    if found.agreement is not None:
        lines.append(f"the two agree on {found.agreement:.0%} of the {found.paired} rows "
                     "both scored")
    for segment in found.segments:
        if segment.champion is None or segment.challenger is None:
            lines.append(f"{segment.group}: {segment.rows} rows")
            continue
        agree = f", agreeing on {segment.agreement:.0%}" if segment.agreement is not None \
            else ""
        lines.append(f"{segment.group}: {metric} {segment.champion.value:.3f} → "
                     f"{segment.challenger.value:.3f} on {segment.rows} rows{agree}")
    return lines


def _pairs(sessions, state: RolloutState) -> list[tuple[float, float, float | None, str]]:
    """Return (champion score, challenger score, label or None, features JSON) per paired row."""
    with sessions() as session:
        shadows = {rid: (version, score) for rid, version, score in session.execute(
            select(ShadowPrediction.request_id, ShadowPrediction.version,
                   ShadowPrediction.score)
            .where(ShadowPrediction.model == state.model, ShadowPrediction.at >= state.started_at)
            .order_by(ShadowPrediction.id.desc()).limit(MOST_ROWS))}
        if not shadows:
            return []
        logged = session.execute(
            select(Prediction.request_id, Prediction.model_version, Prediction.probability,
                   cast(Prediction.features, Text), Feedback.label)
            .outerjoin(Feedback, Feedback.request_id == Prediction.request_id)
            .where(Prediction.model == state.model, Prediction.created_at >= state.started_at)
            .order_by(Prediction.created_at.desc()).limit(MOST_ROWS)).all()
    pairs = []
    for request_id, answered_by, answered, features, label in logged:
        other = shadows.get(request_id)
        if other is None:
            continue
        scores = {answered_by: answered, other[0]: other[1]}
        if state.champion in scores and state.challenger in scores and len(scores) == 2:
            pairs.append((scores[state.champion], scores[state.challenger],
                          None if label is None else float(label), features))
    return pairs


def _agree(spec: "ModelSpec", old, new):
    """Return, per row, whether the two models agree (same class; within the tolerance)."""
    import numpy as np

    if spec.task == "binary_classification":
        from ml.serving.model import THRESHOLD

        return (old >= THRESHOLD) == (new >= THRESHOLD)
    tolerance = spec.rollout.agreement_tolerance
    tolerance = spec.gate.reference_tolerance if tolerance is None else tolerance
    return np.abs(old - new) <= tolerance


def _score(version: str, truth, values, measure, gate) -> Score:
    from ml.training.bootstrap import spread

    low, high = spread(truth, values, measure, confidence=gate.confidence,
                       samples=gate.samples, seed=gate.seed)
    return Score(version=version, value=float(measure.score(truth, values)), low=low, high=high)


def _improvement(truth, old, new, measure, gate) -> Improvement:
    from ml.training.bootstrap import paired

    found = paired(truth, old, new, measure, confidence=gate.confidence, samples=gate.samples,
                   seed=gate.seed)
    return Improvement(value=found.improvement, low=found.low, high=found.high,
                       confidence=found.confidence, samples=found.samples, seed=found.seed)


def _segments(spec: "ModelSpec", features: list[str], truth, old, new, state: RolloutState,
              measure, gate) -> list[Segment]:
    """Return both models on each of the spec's segments of the labelled rows."""
    import pandas as pd
    from pydantic_core import from_json

    from ml.training.gate import groups

    if not spec.segments:
        return []
    frame = pd.DataFrame(from_json("[" + ",".join(features) + "]"))
    found = []
    for group, mask in groups(frame, spec).items():
        if group == "all":
            continue
        rows = mask.to_numpy(dtype=bool)
        segment = Segment(group=group, rows=int(rows.sum()))
        if rows.any():
            segment.champion = _score(state.champion or "none", truth[rows], old[rows],
                                      measure, gate)
            segment.challenger = _score(state.challenger, truth[rows], new[rows], measure, gate)
            segment.agreement = float(_agree(spec, old[rows], new[rows]).mean())
        found.append(segment)
    return found
