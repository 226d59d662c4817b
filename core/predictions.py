"""Read a time window of the prediction log, with the ground truth sent as feedback."""

from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import select

from core.tables import Feedback, Prediction
from ml.schema import FEATURE_NAMES


def window(sessions, minutes: int, *, now: datetime | None = None) -> pd.DataFrame:
    """Return the last `minutes` of predictions with their feedback labels.

    Columns: the 13 features, probability, label, model_version, latency_ms, and `target`
    (the label sent as feedback; NaN where none came).
    """
    since = (now or datetime.now(UTC)) - timedelta(minutes=minutes)
    query = (select(Prediction.features, Prediction.probability, Prediction.label,
                    Prediction.model_version, Prediction.latency_ms,
                    Feedback.label.label("target"))
             .outerjoin(Feedback, Feedback.request_id == Prediction.request_id)
             .where(Prediction.created_at >= since))
    with sessions() as session:
        rows = session.execute(query).all()
    frame = pd.DataFrame([{**dict.fromkeys(FEATURE_NAMES), **r.features,
                           "probability": r.probability, "label": r.label,
                           "model_version": r.model_version, "latency_ms": r.latency_ms,
                           "target": r.target}
                          for r in rows],
                         columns=[*FEATURE_NAMES, "probability", "label", "model_version",
                                  "latency_ms", "target"])
    return frame.astype({name: "float64" for name in FEATURE_NAMES} | {"target": "float64"})
