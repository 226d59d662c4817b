"""Read labelled production rows: predictions joined with their feedback, each case once."""

import logging
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select

from core.tables import Feedback, Prediction
from ml import spec as specs

log = logging.getLogger(__name__)


def labelled(sessions, *, since: datetime | None = None,
             until: datetime | None = None,
             spec: specs.ModelSpec | None = None) -> pd.DataFrame:
    """Return labelled predictions made in [since, until), oldest first.

    The same case (all its features) with the same label counts once, at its first
    prediction. Columns: the features of `spec` (default: the default model's), typed as
    its reference is (numbers as floats, text categories as text), its label (`spec.label`:
    a classifier's mapped 0/1 `target`, a regressor's target value), `created_at`,
    `labelled_at`, `model_version`, `probability` (a regressor's: its prediction).
    """
    spec = spec or specs.default()
    names, label = spec.feature_names, spec.label
    query = (select(Prediction.features, Prediction.probability, Prediction.model_version,
                    Prediction.created_at, Feedback.label, Feedback.received_at)
             .join(Feedback, Feedback.request_id == Prediction.request_id)
             .where(Prediction.model == spec.name)  # another model's rows are not its cases
             .order_by(Prediction.created_at, Prediction.id))
    if since is not None:
        query = query.where(Prediction.created_at >= since)
    if until is not None:
        query = query.where(Prediction.created_at < until)
    with sessions() as session:
        rows = session.execute(query).all()
    frame = pd.DataFrame(
        [{**dict.fromkeys(names), **r.features, label: r.label,
          "created_at": r.created_at, "labelled_at": r.received_at,
          "model_version": r.model_version, "probability": r.probability} for r in rows],
        columns=[*names, label, "created_at", "labelled_at", "model_version",
                 "probability"])
    numeric = {f.name for f in spec.features if f.is_numeric_valued}
    frame = frame.astype({name: "float64" if name in numeric else "object" for name in names}
                         | {label: "int64" if spec.target.label else "float64"})
    unique = frame.drop_duplicates(subset=[*names, label], keep="first")
    if len(unique) < len(frame):
        log.info("dropped %d repeated labelled cases", len(frame) - len(unique))
    return unique.reset_index(drop=True)


def labels_since(sessions, since: datetime, *, model: str | None = None) -> int:
    """Count a model's labels (default: the default model's) received after `since`."""
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Feedback)
                                  .where(Feedback.model == (model or specs.default().name),
                                         Feedback.received_at > since)) or 0)


def split_in_time(frame: pd.DataFrame, judge_share: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split time-ordered rows: the earlier ones to fit on, the latest `judge_share` to judge."""
    judge_rows = int(round(len(frame) * judge_share))
    cut = len(frame) - judge_rows
    return frame.iloc[:cut].reset_index(drop=True), frame.iloc[cut:].reset_index(drop=True)
