"""Predict and log, predict a batch, record feedback: what every interface calls."""

import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from operator import attrgetter

import numpy as np
from pydantic import BaseModel, Field

from core import log_retention, rollup
from core.db import EncodedJSON
from core.errors import Expired, NotFound, TooLarge, Unavailable
from core.request_ids import by_request_id
from core.tables import Prediction
from ml import spec
from ml.prediction_log import PredictionLog
from ml.serving import THRESHOLD, Loaded, ServingModel

Counted = Callable[[int, int], None]  # (negatives, positives) answered
_features = attrgetter(*spec.default().feature_names)  # the default model's routes


class PredictResponse(BaseModel):
    """The model's answer for one patient."""

    request_id: str
    probability: float = Field(description="probability of heart disease")
    label: int = Field(description=f"1 = disease predicted (probability >= {THRESHOLD})")
    model: str
    version: str


class Scored(BaseModel):
    """One patient's answer within a batch."""

    probability: float
    label: int = Field(description=f"1 = disease predicted (probability >= {THRESHOLD})")


class BatchResponse(BaseModel):
    """One answer per patient, in order; row i is logged as `<request_id>-<i>`."""

    request_id: str
    model: str
    version: str
    predictions: list[Scored]


class FeedbackResponse(BaseModel):
    """The label now stored for a prediction."""

    request_id: str
    label: int


def predict(*, serving: ServingModel, log: PredictionLog, counted: Counted, model_name: str,
            patient, started: float) -> PredictResponse:
    """Score one validated patient, log it off the request path; `started` is perf_counter."""
    loaded = _loaded(serving)
    probability = float(loaded.score(rows([patient]))[0])
    label = int(probability >= THRESHOLD)
    request_id = new_request_id()
    counted(1 - label, label)
    log.add({"request_id": request_id, "features": EncodedJSON(patient.model_dump_json()),
             "probability": probability, "label": label, "model_version": loaded.version,
             "latency_ms": (time.perf_counter() - started) * 1000,
             "created_at": datetime.now(UTC)})
    return PredictResponse(request_id=request_id, probability=probability, label=label,
                           model=model_name, version=loaded.version)


def predict_batch(*, serving: ServingModel, log: PredictionLog, counted: Counted,
                  model_name: str, features: np.ndarray, max_batch: int) -> dict:
    """Score rows of features (see `rows`); return the BatchResponse as plain data."""
    if len(features) > max_batch:
        raise TooLarge(f"at most {max_batch} patients per batch")
    started = time.perf_counter()
    loaded = _loaded(serving)
    probabilities = loaded.score(features)
    labels = probabilities >= THRESHOLD
    request_id = new_request_id()
    log.add_batch(request_id=request_id, features=features, probabilities=probabilities,
                  version=loaded.version, latency_ms=(time.perf_counter() - started) * 1000,
                  at=datetime.now(UTC))
    positives = int(labels.sum())
    counted(len(labels) - positives, positives)
    return {"request_id": request_id, "model": model_name, "version": loaded.version,
            "predictions": [{"probability": p, "label": label} for p, label in
                            zip(probabilities.tolist(), labels.astype(int).tolist(),
                                strict=True)]}


def record_feedback(*, sessions, log: PredictionLog, request_id: str, label: int,
                    retention_days: int | None = None,
                    now: datetime | None = None) -> FeedbackResponse:
    """Store the true label of an answered prediction; NotFound if it was never answered.

    Expired (410) when the id was issued before the prediction log's retention and its row
    is gone (`core/log_retention.py`). The label is counted in its prediction's slot for the
    console (`core/rollup.py`).
    """
    early = log.answered(request_id)
    if early:
        log.labelled_early(request_id)
    with sessions.begin() as session:
        if not early and session.query(Prediction.id).filter(
                *by_request_id(request_id)).first() is None:
            if retention_days and log_retention.expired(
                    request_id, now=now or datetime.now(UTC), days=retention_days):
                raise Expired(f"prediction {request_id} is older than the prediction log's "
                              f"{retention_days}-day retention: its row was removed, so its "
                              "label cannot be stored")
            raise NotFound(f"no prediction with request id {request_id}")
        rollup.store_label(session, request_id, label)
    return FeedbackResponse(request_id=request_id, label=label)


def new_request_id() -> str:
    """Return a UUIDv7 as 32 hex digits: milliseconds first, so ids sort by time.

    The prediction log's unique index on the id then grows at its end; random (v4) ids
    landed on random pages of it, which made each logged row cost about three times as much
    once the log outgrew SQLite's page cache.
    """
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10))
    value = value & ~(0xF << 76) & ~(0x3 << 62) | 0x7 << 76 | 0x2 << 62  # version, variant
    return f"{value:032x}"


def rows(patients: Sequence) -> np.ndarray:
    """Return the patients' features as floats in the model's column order, None as NaN."""
    values = [_features(p) for p in patients]
    try:
        return np.array(values, dtype=float)
    except TypeError:  # some values are missing
        return np.array([[np.nan if v is None else v for v in row] for row in values],
                        dtype=float)


def _loaded(serving: ServingModel) -> Loaded:
    loaded = serving.current
    if loaded is None:
        raise Unavailable("no model is loaded yet: run `medic train`")
    return loaded
