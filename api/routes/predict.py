"""Predictions and feedback."""

import time
from typing import Annotated

from fastapi import Path, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from pydantic_core import to_json
from starlette.concurrency import run_in_threadpool

from api import batch_body
from api.deps import Predictor, RootDep, authorized
from api.routing import Router
from api.schemas import BatchRequest, FeedbackRequest, Patient, requests_of
from services import predictions
from services.predictions import (
    BatchResponse,
    FeedbackResponse,
    PredictResponse,
    ValueBatchResponse,
    ValueResponse,
)

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
    """Predict with the default model (heart disease) for one patient."""
    started = time.perf_counter()
    caller = authorized(request, "predict")  # here, not as a dependency: served by `api.direct`
    root = request.app.state.root
    answer = predictions.predict(
        root.fleet.default, log=root.predictions, counted=root.metrics.counted,
        row=await _parse(request, Patient), started=started, training=root.training,
        answer_as=root.registry.name, shadow=root.shadow, caller=caller.name)
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
        root.fleet.default, log=root.predictions, counted=root.metrics.counted,
        features=features, max_batch=root.settings.max_batch, training=root.training,
        answer_as=root.registry.name, shadow=root.shadow)
    return Response(to_json(body), media_type="application/json")


@router.post("/feedback", status_code=201, response_model=FeedbackResponse)
def feedback(body: FeedbackRequest, root: RootDep,
             _caller: Predictor) -> FeedbackResponse:
    """Record the true label of an earlier prediction of the default model (for monitoring).

    404: no such prediction; 410: it was older than the log's retention and is gone.
    """
    return predictions.record_feedback(sessions=root.sessions, log=root.predictions,
                                       request_id=body.request_id, label=body.label,
                                       model=root.fleet.default_name,
                                       retention_days=root.settings.prediction_retention_days)


# -- every known model, by name (`GET /v1/models` lists them) ---------------------------------

ModelName = Annotated[str, Path(min_length=1, max_length=200,
                                description="A model's name: its spec's (`GET /v1/models`)")]
MODEL_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"description": "One row of the named model: its features as its spec "
               "describes them (`GET /v1/models/{name}`), e.g. a `Patient` for heart-disease",
               "type": "object"}}}}}
MODEL_BATCH_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"type": "object", "required": ["rows"], "additionalProperties": False,
               "properties": {"rows": {"type": "array", "minItems": 1,
                                       "items": {"type": "object"}}}}}}}}


@router.post("/models/{name}/predict", response_model=PredictResponse | ValueResponse,
             openapi_extra=MODEL_BODY)
async def predict_with(name: ModelName, request: Request, root: RootDep,
                       caller: Predictor) -> Response:
    """Predict with the named model for one row: a probability and class, or a value."""
    return await _predict_named(root, name, request, time.perf_counter(), caller.name)


async def predict_named(request: Request) -> Response:
    """`predict_with` as `api.direct` serves it: one known model's path, the request only."""
    started = time.perf_counter()
    caller = authorized(request, "predict")
    return await _predict_named(request.app.state.root, request.scope["path"].split("/")[3],
                                request, started, caller.name)


async def _predict_named(root, name: str, request: Request, started: float,
                         caller: str) -> Response:
    served = root.served(name)
    answer = predictions.predict(
        served, log=root.predictions, counted=served.counted,
        row=await _parse(request, requests_of(served.spec).row), started=started,
        training=root.training, shadow=root.shadow, caller=caller)
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post("/models/{name}/predict/batch",
             response_model=BatchResponse | ValueBatchResponse, openapi_extra=MODEL_BATCH_BODY)
async def predict_batch_with(name: ModelName, request: Request, root: RootDep,
                             _caller: Predictor) -> Response:
    """Predict with the named model for up to MEDIC_MAX_BATCH rows, answered in order."""
    served = root.served(name)
    rows = (await _parse(request, requests_of(served.spec).batch)).rows
    body = predictions.predict_batch(
        served, log=root.predictions, counted=served.counted, rows=rows,
        max_batch=root.settings.max_batch, training=root.training, shadow=root.shadow)
    return Response(to_json(body), media_type="application/json")


@router.post("/models/{name}/feedback", status_code=201, response_model=FeedbackResponse)
async def feedback_for(name: ModelName, request: Request, root: RootDep,
                       _caller: Predictor) -> FeedbackResponse:
    """Record the true class or value of an earlier prediction of the named model."""
    served = root.served(name)
    body = await _parse(request, requests_of(served.spec).feedback)
    return await run_in_threadpool(
        predictions.record_feedback, sessions=root.sessions, log=root.predictions,
        request_id=body.request_id, label=body.label, model=served.name,
        classifier=served.classifier, retention_days=root.settings.prediction_retention_days)
