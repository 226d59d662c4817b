"""Request and response models of the HTTP API."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from ml.schema import FEATURES

STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)


REQUIRED = ("age", "sex", "cp")  # present in every UCI site; the rest may be null


def _feature_field(column):
    kind, default = (float, ...) if column.name in REQUIRED else (float | None, None)
    if column.is_categorical:
        allowed = ", ".join(str(int(v)) for v in column.categories)
        return (kind, Field(default, description=f"{column.description} (one of {allowed})"))
    return (kind, Field(default, ge=column.low, le=column.high,
                        description=f"{column.description} ({column.low}-{column.high})"))


_Patient = create_model("_Patient", __config__=STRICT,
                        **{c.name: _feature_field(c) for c in FEATURES})


class Patient(_Patient):
    """The 13 UCI features of one patient; age, sex and cp required, others null if unknown."""

    @field_validator(*[c.name for c in FEATURES if c.is_categorical])
    @classmethod
    def _in_set(cls, value, info):
        from ml.schema import BY_NAME

        allowed = BY_NAME[info.field_name].categories
        if value is not None and value not in allowed:
            raise ValueError(f"must be one of {', '.join(str(int(v)) for v in allowed)}")
        return value


class PredictResponse(BaseModel):
    """The model's answer for one patient."""

    request_id: str
    probability: float = Field(description="probability of heart disease")
    label: int = Field(description="1 = disease predicted (probability >= 0.5)")
    model: str
    version: str


class BatchRequest(BaseModel):
    """Several patients at once."""

    model_config = STRICT
    patients: list[Patient] = Field(..., min_length=1)


class BatchResponse(BaseModel):
    """One answer per patient, in order."""

    request_id: str
    model: str
    version: str
    predictions: list[dict]


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
