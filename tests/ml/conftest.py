"""Labelled production traffic, written straight into the prediction log and feedback tables."""

from datetime import timedelta

import pytest

from core.tables import Feedback, Prediction
from ml.data import LABEL, features
from tests.conftest import HEART


def log_traffic(sessions, frame, *, start, version: str, model=None, prefix: str = "req",
                minutes_apart: float = 1.0, label_delay: timedelta = timedelta(minutes=5),
                labelled: bool = True) -> None:
    """Log each row as a prediction by `version` (scored by `model` if given) and its label."""
    probability = (model.predict_proba(features(frame, HEART))[:, 1] if model is not None
                   else [0.5] * len(frame))
    with sessions.begin() as session:
        for i, (row, p) in enumerate(zip(frame.itertuples(index=False), probability,
                                         strict=True)):
            at = start + timedelta(minutes=i * minutes_apart)
            values = row._asdict()
            request_id = f"{prefix}-{i}"
            session.add(Prediction(
                request_id=request_id, probability=float(p), label=int(p >= 0.5),
                features={n: (None if values[n] != values[n] else float(values[n]))
                          for n in HEART.feature_names},
                model_version=str(version), latency_ms=1.0, created_at=at))
            if labelled:
                session.add(Feedback(request_id=request_id, label=int(values[LABEL]),
                                     received_at=at + label_delay))


@pytest.fixture
def site():
    """Return a UCI site's rows, in file order (taken as arrival order)."""
    from core.settings import PROJECT_ROOT
    from ml.data import load_site

    return lambda name: load_site(PROJECT_ROOT / "data" / "raw", name, HEART)
