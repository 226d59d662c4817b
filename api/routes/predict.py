"""Predictions and feedback."""

import time

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from pydantic_core import to_json

from api import batch_body
from api.deps import Predictor, RootDep, authorized
from api.routing import Router
from api.schemas import BatchRequest, FeedbackRequest, Patient
from services import predictions
from services.predictions import BatchResponse, FeedbackResponse, PredictResponse

router = Router(prefix="/v1", tags=["predictions"])


PATIENT_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Patient"}}}}}


async def _parse(request: Request, model):
    """Validate the body in pydantic-core straight from the bytes (skips a json.loads)."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


@router.post("/predict", response_model=PredictResponse, openapi_extra=PATIENT_BODY)
async def predict(request: Request) -> Response:
    """Predict heart disease for one patient."""
    started = time.perf_counter()
    authorized(request, "predict")  # here, not as a dependency: served by `api.direct`
    root = request.app.state.root
    answer = predictions.predict(
        serving=root.serving, log=root.predictions, counted=root.metrics.counted,
        model_name=root.registry.name, patient=await _parse(request, Patient),
        started=started)
    return Response(answer.model_dump_json(), media_type="application/json")


BATCH_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["patients"], "additionalProperties": False,
    "properties": {"patients": {"type": "array", "minItems": 1,
                                "items": {"$ref": "#/components/schemas/Patient"}}}}}}}}


@router.post("/predict/batch", response_model=BatchResponse, openapi_extra=BATCH_BODY)
async def predict_batch(request: Request, root: RootDep,
                        _caller: Predictor) -> Response:
    """Predict for up to MEDIC_MAX_BATCH patients at once; answers in the same order."""
    raw = await request.body()
    features = batch_body.features(raw)
    if features is None:  # refused by the fast reader: the model accepts it or names each error
        try:
            features = predictions.rows(BatchRequest.model_validate_json(raw).patients)
        except ValidationError as error:
            raise RequestValidationError(error.errors(include_url=False)) from None
    body = predictions.predict_batch(
        serving=root.serving, log=root.predictions, counted=root.metrics.counted,
        model_name=root.registry.name, features=features,
        max_batch=root.settings.max_batch)
    return Response(to_json(body), media_type="application/json")


@router.post("/feedback", status_code=201, response_model=FeedbackResponse)
def feedback(body: FeedbackRequest, root: RootDep,
             _caller: Predictor) -> FeedbackResponse:
    """Record the true label of an earlier prediction (for performance monitoring).

    404: no such prediction; 410: it was older than the log's retention and is gone.
    """
    return predictions.record_feedback(
        sessions=root.sessions, log=root.predictions, request_id=body.request_id,
        label=body.label, retention_days=root.settings.prediction_retention_days)
