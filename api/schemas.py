"""Request and response models of the HTTP API."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ml import spec
from services.predictions import (
    BatchResponse,
    FeedbackResponse,
    PredictResponse,
    ValueBatchResponse,
    ValueResponse,
)

__all__ = ["BatchResponse", "FeedbackResponse", "PredictResponse",  # the service layer's answers
           "ValueBatchResponse", "ValueResponse"]

STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)


MODEL = spec.default()  # today's routes serve the default model


def _feature_field(column):
    """Return a feature's pydantic field: required when its spec allows no missing value."""
    default = ... if column.required else None
    if column.is_categorical:  # a Literal is checked in pydantic-core, not in Python
        values = tuple(int(v) if isinstance(v, float) and v.is_integer() else v
                       for v in column.categories)
        kind = Literal[values]
        allowed = ", ".join(str(v) for v in values)
        return (kind if default is ... else kind | None,
                Field(default, description=f"{column.description} (one of {allowed})"))
    low, high = column.range or (None, None)
    return (float if default is ... else float | None,
            Field(default, ge=low, le=high, description=f"{column.description} ({low}-{high})"))


def _row_model(model: spec.ModelSpec, name: str, case: str):
    """Return the request model of one row of `model`: its features, and its date if any."""
    fields = {c.name: _feature_field(c) for c in model.features}
    required = ", ".join(f.name for f in model.features if f.required) or "none"
    doc = (f"The {len(model.features)} features of one {case} ({model.name}); {required} "
           "required, others null or absent if unknown (the model imputes them).")
    time_column = model.reference.time_column
    if time_column is not None:
        fields[time_column] = (date | None, Field(None, description="the row's date: "
                                                  "accepted and logged, not a feature"))
        doc += f" `{time_column}` may be sent; it is not a feature."
    return create_model(name, __config__=STRICT, __module__=__name__, __doc__=doc, **fields)


Patient = _row_model(MODEL, "Patient", "case")


class BatchRequest(BaseModel):
    """Several patients at once."""

    model_config = STRICT
    patients: list[Patient] = Field(..., min_length=1)


class Requests:
    """One model's request models: a row, a batch of rows, feedback on an answer."""

    def __init__(self, model: spec.ModelSpec) -> None:
        title = "".join(part.capitalize() for part in model.name.split("-"))
        default = model.name == MODEL.name
        self.row = Patient if default else _row_model(model, f"{title}Row", "row")
        self.batch = create_model(
            f"{title}Batch", __config__=STRICT, __module__=__name__,
            __doc__=f"Rows of {model.name} to score at once, answered in the same order.",
            rows=(list[self.row], Field(..., min_length=1)))
        if model.task == "binary_classification":
            label = (Literal[0, 1], Field(..., description="1 = the positive class"))
        else:
            low, high = model.target.range or (None, None)
            label = (float, Field(..., ge=low, le=high, allow_inf_nan=False, description=(
                f"the true {model.target.name} ({model.target.description}), kept exactly")))
        self.feedback = create_model(
            f"{title}Feedback", __config__=STRICT, __module__=__name__,
            __doc__=f"The true value for an earlier {model.name} prediction.",
            request_id=(str, Field(..., min_length=1, max_length=64)), label=label)


_REQUESTS: dict[str, Requests] = {}


def requests_of(model: spec.ModelSpec) -> Requests:
    """Return a model's request models, built once per process."""
    found = _REQUESTS.get(model.name)
    if found is None:
        found = _REQUESTS[model.name] = Requests(model)
    return found


class FeedbackRequest(BaseModel):
    """The true label for an earlier prediction."""

    model_config = STRICT
    request_id: str = Field(..., min_length=1, max_length=64)
    label: Literal[0, 1]


class Decision(BaseModel):
    """An approver's comment."""

    model_config = STRICT
    comment: str = Field("", max_length=2000)


class ChatRequest(BaseModel):
    """A status question."""

    model_config = STRICT
    question: str = Field(..., min_length=1, max_length=2000)


class Accepted(BaseModel):
    """Alerts stored; where they went."""

    incidents: list[dict]
