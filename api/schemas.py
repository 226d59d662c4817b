"""Request and response models of the HTTP API."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ml import spec
from services.predictions import BatchResponse, FeedbackResponse, PredictResponse

__all__ = ["BatchResponse", "FeedbackResponse", "PredictResponse"]  # answers of the service layer

STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)


MODEL = spec.default()  # today's routes serve the default model


def _feature_field(column):
    """Return a feature's pydantic field: required when its spec allows no missing value."""
    default = ... if column.required else None
    if column.is_categorical:  # a Literal is checked in pydantic-core, not in Python
        kind = Literal[tuple(int(v) for v in column.categories)]
        allowed = ", ".join(str(int(v)) for v in column.categories)
        return (kind if default is ... else kind | None,
                Field(default, description=f"{column.description} (one of {allowed})"))
    low, high = column.range or (None, None)
    return (float if default is ... else float | None,
            Field(default, ge=low, le=high, description=f"{column.description} ({low}-{high})"))


Patient = create_model(
    "Patient", __config__=STRICT, __module__=__name__,
    __doc__=f"The {len(MODEL.features)} features of one case ({MODEL.name}); "
            f"{', '.join(f.name for f in MODEL.features if f.required)} required, others null "
            "if unknown (the model imputes them).",
    **{c.name: _feature_field(c) for c in MODEL.features})


class BatchRequest(BaseModel):
    """Several patients at once."""

    model_config = STRICT
    patients: list[Patient] = Field(..., min_length=1)


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
