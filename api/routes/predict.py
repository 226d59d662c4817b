"""Predictions and feedback."""

import json
import time
import uuid
from datetime import UTC, datetime
from operator import attrgetter

import numpy as np
from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from api.deps import Predictor, ServicesDep
from api.schemas import BatchRequest, BatchResponse, FeedbackRequest, Patient, PredictResponse
from core.errors import NotFound, TooLarge, Unavailable
from core.tables import Feedback
from ml.schema import FEATURE_NAMES

router = APIRouter(prefix="/v1", tags=["predictions"])


_features = attrgetter(*FEATURE_NAMES)


def _rows(patients: list[Patient]) -> np.ndarray:
    """Return the features as floats in the model's column order, None as NaN."""
    rows = [_features(p) for p in patients]
    try:
        return np.array(rows, dtype=float)
    except TypeError:  # some values are missing
        return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


PATIENT_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Patient"}}}}}


async def _parse(request: Request, model):
    """Validate the body in pydantic-core straight from the bytes (skips a json.loads)."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


@router.post("/predict", response_model=PredictResponse, openapi_extra=PATIENT_BODY)
async def predict(request: Request, _caller: Predictor) -> Response:
    """Predict heart disease for one patient."""
    started = time.perf_counter()
    services = request.app.state.services
    patient = await _parse(request, Patient)
    loaded = services.serving.current
    if loaded is None:
        raise Unavailable("no model is loaded yet: run `medic train`")
    probability = float(loaded.score(_rows([patient]))[0])
    label = int(probability >= 0.5)
    request_id = uuid.uuid4().hex
    services.metrics.predictions.labels(str(label)).inc()
    services.predictions.add({
        "request_id": request_id, "features": patient.model_dump(), "probability": probability,
        "label": label, "model_version": loaded.version,
        "latency_ms": (time.perf_counter() - started) * 1000, "created_at": datetime.now(UTC)})
    return Response(json.dumps({"request_id": request_id, "probability": probability,
                                "label": label, "model": services.registry.name,
                                "version": loaded.version}, separators=(",", ":")),
                    media_type="application/json")


BATCH_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["patients"], "additionalProperties": False,
    "properties": {"patients": {"type": "array", "minItems": 1,
                                "items": {"$ref": "#/components/schemas/Patient"}}}}}}}}


@router.post("/predict/batch", response_model=BatchResponse, openapi_extra=BATCH_BODY)
async def predict_batch(request: Request, services: ServicesDep,
                        _caller: Predictor) -> Response:
    """Predict for up to MEDIC_MAX_BATCH patients at once; answers in the same order."""
    batch = await _parse(request, BatchRequest)
    if len(batch.patients) > services.settings.max_batch:
        raise TooLarge(f"at most {services.settings.max_batch} patients per batch")
    started = time.perf_counter()
    loaded = services.serving.current
    if loaded is None:
        raise Unavailable("no model is loaded yet: run `medic train`")
    features = _rows(batch.patients)
    probabilities = loaded.score(features)
    labels = (probabilities >= 0.5).astype(int)
    request_id = uuid.uuid4().hex
    services.predictions.add_batch(
        request_id=request_id, features=features, probabilities=probabilities,
        version=loaded.version, latency_ms=(time.perf_counter() - started) * 1000,
        at=datetime.now(UTC))
    positives = int(labels.sum())
    services.metrics.predictions.labels("1").inc(positives)
    services.metrics.predictions.labels("0").inc(len(labels) - positives)
    body = {"request_id": request_id, "model": services.registry.name,
            "version": loaded.version,
            "predictions": [{"probability": p, "label": label} for p, label in
                            zip(probabilities.tolist(), labels.tolist(), strict=True)]}
    return Response(json.dumps(body, separators=(",", ":")), media_type="application/json")


@router.post("/feedback", status_code=201)
def feedback(body: FeedbackRequest, services: ServicesDep, _caller: Predictor) -> dict:
    """Record the true label of an earlier prediction (for performance monitoring)."""
    from core.tables import Prediction

    services.predictions.flush_now()
    with services.sessions.begin() as session:
        if session.query(Prediction.id).filter_by(request_id=body.request_id).first() is None:
            raise NotFound(f"no prediction with request id {body.request_id}")
        try:
            with session.begin_nested():
                session.add(Feedback(request_id=body.request_id, label=body.label))
        except IntegrityError:
            session.get(Feedback, body.request_id).label = body.label
    return {"request_id": body.request_id, "label": body.label}
