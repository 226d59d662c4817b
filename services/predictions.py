"""Predict and log, predict a batch, record feedback: what every interface calls."""

import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from core import log_retention, rollup
from core.db import EncodedJSON
from core.errors import Expired, NotFound, TooLarge, Unavailable
from core.request_ids import by_request_id
from core.tables import Prediction
from ml import spec
from ml.serving.model import THRESHOLD, Loaded
from ml.serving.prediction_log import PredictionLog
from ml.serving.rows import Rows

if TYPE_CHECKING:
    from core.rollouts import RolloutState
    from ml.serving.fleet import Served
    from ml.serving.shadow import Shadow
    from services.training import Training

Counted = Callable[[int, int], None]  # (negatives, positives) answered; a regressor's: (n, 0)
_default_rows = Rows(spec.default())  # the default model's routes


class PredictResponse(BaseModel):
    """The model's answer for one patient."""

    request_id: str
    probability: float = Field(description="probability of heart disease")
    label: int = Field(description=f"1 = disease predicted (probability >= {THRESHOLD})")
    model: str
    version: str


class ValueResponse(BaseModel):
    """A regressor's answer for one row."""

    request_id: str
    prediction: float = Field(description="the predicted value of the model's target")
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


class Valued(BaseModel):
    """One row's answer within a regressor's batch."""

    prediction: float


class ValueBatchResponse(BaseModel):
    """A regressor's answers, one per row, in order; row i is logged as `<request_id>-<i>`."""

    request_id: str
    model: str
    version: str
    predictions: list[Valued]


class FeedbackResponse(BaseModel):
    """The label now stored for a prediction: a class (0 or 1), or a regressor's value."""

    request_id: str
    label: int | float


def predict(served: "Served", *, log: PredictionLog, counted: Counted, row, started: float,
            training: "Training | None" = None, answer_as: str | None = None,
            shadow: "Shadow | None" = None,
            caller: str = "") -> PredictResponse | ValueResponse:
    """Score one validated row, log it off the request path; `started` is perf_counter.

    A classifier answers its probability and class, a regressor its prediction; `answer_as`
    names the model in the answer (default: its spec's name, which the log keeps). While
    the model has a challenger live (`shadow`), the row is also queued for the model that
    did not answer it; in canary, the challenger answers the share of callers (`caller`,
    or the spec's sticky field) routed to it, the champion whenever it raises.
    """
    loaded = _loaded(served, training)
    features = served.rows.matrix([row])
    rollout = shadow.rollout(served.name) if shadow is not None else None
    if rollout is None or rollout.stage != "canary" or rollout.challenger == loaded.version:
        value, version, by_challenger = float(loaded.score(features)[0]), loaded.version, False
    else:
        field = served.spec.rollout.sticky_field
        key = str(getattr(row, field, None)) if field else caller
        value, version, by_challenger = _canary_or_champion(shadow, rollout, loaded, features,
                                                            key)
    label = int(value >= THRESHOLD) if served.classifier else 0
    request_id = new_request_id()
    if rollout is not None and rollout.challenger != loaded.version:
        shadow.answered(rollout, request_ids=[request_id], features=features,
                        by_challenger=by_challenger, champion=loaded.score,
                        champion_version=loaded.version)
    counted(1 - label, label)
    log.add({"request_id": request_id, "model": served.name,
             "features": EncodedJSON(row.model_dump_json()), "probability": value,
             "label": label, "model_version": version,
             "latency_ms": (time.perf_counter() - started) * 1000,
             "created_at": datetime.now(UTC)})
    name = answer_as or served.name
    if served.classifier:
        return PredictResponse(request_id=request_id, probability=value, label=label,
                               model=name, version=version)
    return ValueResponse(request_id=request_id, prediction=value, model=name, version=version)


def _canary_or_champion(shadow: "Shadow", rollout: "RolloutState", loaded: Loaded,
                        features: np.ndarray, key: str) -> tuple[float, str, bool]:
    """Score with the canary if this key is routed to it and it answers, else the champion.

    Return the value, the version that answered and whether it was the challenger. A
    challenger that raises, or answers no finite number, is counted (`Shadow.canary_failed`,
    which halts it at its limit) and the champion answers: the caller never sees its error.
    """
    challenger = shadow.canary(rollout, key)
    if challenger is not None:
        began = time.perf_counter()
        try:
            value = float(challenger(features)[0])
            if not np.isfinite(value):
                raise ValueError(f"the challenger answered {value}")
        except Exception as error:  # any failure of the challenger's is the champion's to answer
            shadow.canary_failed(rollout, error)
        else:
            shadow.canary_scored(rollout, challenger_ms=(time.perf_counter() - began) * 1000)
            return value, rollout.challenger, True
    began = time.perf_counter()
    value = float(loaded.score(features)[0])
    shadow.champion_scored(rollout, champion_ms=(time.perf_counter() - began) * 1000)
    return value, loaded.version, False


def predict_batch(served: "Served", *, log: PredictionLog, counted: Counted, features=None,
                  rows: Sequence = (), max_batch: int, training: "Training | None" = None,
                  answer_as: str | None = None, shadow: "Shadow | None" = None) -> dict:
    """Score validated `rows` (or `features`, see `rows`); return the answer as plain data.

    The champion answers every row of a batch; while a challenger is live (`shadow`), the
    rows are queued for it as `<request_id>-<i>` (batches are shadowed, never canaried).
    """
    size = len(features) if features is not None else len(rows)
    if size > max_batch:
        raise TooLarge(f"at most {max_batch} {'patients' if answer_as else 'rows'} per batch")
    started = time.perf_counter()
    loaded = _loaded(served, training)
    named = None
    if features is None:
        features = served.rows.matrix(rows)
        if served.rows.coded or served.name != spec.default().name:  # logged as sent
            named = [r.model_dump(mode="json") for r in rows]
    values = loaded.score(features)
    request_id = new_request_id()
    rollout = shadow.rollout(served.name) if shadow is not None else None
    if rollout is not None and rollout.challenger != loaded.version:
        shadow.answered(rollout, request_ids=[f"{request_id}-{i}" for i in range(len(values))],
                        features=np.asarray(features, dtype=float), by_challenger=False,
                        champion=loaded.score, champion_version=loaded.version)
    labels = (values >= THRESHOLD) if served.classifier else np.zeros(len(values), dtype=bool)
    log.add_batch(request_id=request_id, features=features, probabilities=values,
                  version=loaded.version, latency_ms=(time.perf_counter() - started) * 1000,
                  at=datetime.now(UTC), model=served.name, named=named,
                  labels=labels.astype(int).tolist())
    positives = int(labels.sum())
    counted(len(labels) - positives, positives)
    answered = [{"probability": p, "label": label} for p, label in
                zip(values.tolist(), labels.astype(int).tolist(), strict=True)] \
        if served.classifier else [{"prediction": v} for v in values.tolist()]
    return {"request_id": request_id, "model": answer_as or served.name,
            "version": loaded.version, "predictions": answered}


def record_feedback(*, sessions, log: PredictionLog, request_id: str, label: float,
                    model: str | None = None, classifier: bool = True,
                    retention_days: int | None = None,
                    now: datetime | None = None) -> FeedbackResponse:
    """Store the true label of an answered prediction; NotFound if it was never answered.

    With `model`, only that model's predictions are looked at (another model's request id
    is not found). Expired (410) when the id was issued before the prediction log's
    retention and its row is gone (`core/log_retention.py`). The label is counted in its
    prediction's slot for the console (`core/rollup.py`): a classifier's in its confusion
    matrix, and every label in the slot's error sums (a regressor's MAE, RMSE, R²).
    """
    early = log.answered(request_id)
    if early and model is not None:  # write it first, so its model can be checked
        log.flush_now()
        early = log.answered(request_id)  # still unwritten: the database refused it
    if early:
        log.labelled_early(request_id, classes=classifier)
    with sessions.begin() as session:
        query = session.query(Prediction.id).filter(*by_request_id(request_id))
        if model is not None:
            query = query.filter_by(model=model)
        if not early and query.first() is None:
            if retention_days and log_retention.expired(
                    request_id, now=now or datetime.now(UTC), days=retention_days):
                raise Expired(f"prediction {request_id} is older than the prediction log's "
                              f"{retention_days}-day retention: its row was removed, so its "
                              "label cannot be stored")
            raise NotFound(f"no prediction of {model or 'the model'} with request id "
                           f"{request_id}")
        rollup.store_label(session, request_id, label, model=model, counted=classifier)
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
    """Return the default model's rows as floats in its column order, None as NaN."""
    return _default_rows.matrix(patients)


def _loaded(served: "Served", training: "Training | None") -> Loaded:
    loaded = served.serving.current
    if loaded is not None:
        return loaded
    state = training.state(served.name) if training is not None else None
    if state is not None:
        raise Unavailable(state.message,
                          retry_after=None if state.state == "failed" else state.retry_seconds)
    champion = served.registry.recorded_champion()
    if champion is not None:  # its watcher is loading it (or retrying a failed load)
        raise Unavailable(f"{served.name} version {champion} is being loaded, retry in 5 s",
                          retry_after=5)
    command = "medic train" if served.name == spec.default().name else \
        f"medic train --model {served.name}"
    raise Unavailable(f"no model is loaded yet for {served.name}: run `{command}`")
