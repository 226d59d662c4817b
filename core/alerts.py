"""Define the one Alert model and read Medic's own JSON; other senders: `core.alert_sources`."""

import hashlib
import json
import math
import re
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FiniteFloat,
    ValidationError,
    field_validator,
    model_validator,
)

from core import jsonbody
from core.errors import AlertError


class AlertType(StrEnum):
    """What kind of trouble an alert reports."""

    DRIFT = "drift"
    PERFORMANCE = "performance"
    SYSTEM_ERROR = "system_error"
    UNKNOWN = "unknown"


class Evidence(BaseModel):
    """Where the agent can measure for itself: a data file, or a window of the prediction log."""

    model_config = ConfigDict(extra="forbid")
    data_path: str | None = None
    window_minutes: int | None = Field(None, ge=1, le=7 * 24 * 60)


class Alert(BaseModel):
    """One alert, whoever sent it. Text fields are untrusted data, never instructions."""

    model_config = ConfigDict(extra="forbid")  # a misspelt field is refused, not dropped
    source: str = "medic"
    type: AlertType = AlertType.UNKNOWN
    name: str = Field(..., min_length=1, max_length=200)
    status: Literal["firing", "resolved"] = "firing"
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    values: dict[str, FiniteFloat] = Field(default_factory=dict)
    evidence: Evidence | None = None
    fingerprint: str = Field("", max_length=128)  # the incidents table's column width
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @field_validator("labels", "annotations")
    @classmethod
    def _bounded(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > 64 or any(len(k) > 200 or len(v) > 4000 for k, v in value.items()):
            raise ValueError("too many or too long labels/annotations")
        return value

    @model_validator(mode="after")
    def _fill(self) -> "Alert":
        if self.type == AlertType.UNKNOWN:
            self.type = classify(self.name, self.labels)
        if not self.fingerprint:
            identity = {"name": self.name, "type": self.type.value,
                        "labels": dict(sorted(self.labels.items()))}
            self.fingerprint = hashlib.sha256(
                json.dumps(identity, sort_keys=True).encode()).hexdigest()[:32]
        return self

    @property
    def title(self) -> str:
        """Return a short human title."""
        summary = self.annotations.get("summary", "")
        return f"{self.name}: {summary}"[:200] if summary else self.name


_TYPE_WORDS = (
    (AlertType.DRIFT, re.compile(r"drift|shift|distribution", re.I)),
    (AlertType.PERFORMANCE, re.compile(r"f1|accuracy|auc|precision|recall|performance|quality",
                                       re.I)),
    (AlertType.SYSTEM_ERROR, re.compile(r"error|5xx|exception|latency|unavailable|down|crash",
                                        re.I)),
)


def classify(name: str, labels: dict[str, str]) -> AlertType:
    """Guess the alert type from an explicit label, else from words in its name."""
    explicit = labels.get("alert_type") or labels.get("type")
    if explicit in AlertType.__members__.values():
        return AlertType(explicit)
    for kind, words in _TYPE_WORDS:
        if words.search(name):
            return kind
    return AlertType.UNKNOWN


def read_json(body: bytes) -> Any:
    """Parse a webhook body strictly: no NaN or Infinity, no deep nesting, no NUL character."""
    return jsonbody.loads(body)


def from_medic(payload: Any) -> list[Alert]:
    """Read Medic's own alert JSON: one alert object or a list of them."""
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise AlertError("the payload holds no alert")
    alerts = []
    for number, item in enumerate(items):
        try:
            alerts.append(Alert.model_validate(item))
        except ValidationError as error:  # in a list, the alert's place is named too
            where = f"{number}." if isinstance(payload, list) else ""
            raise AlertError(where + first_problem(error)) from error
    return alerts


def parse(payload: Any) -> list[Alert]:
    """Read a payload of any registered source, told apart by its shape (`core.alert_sources`)."""
    from core.alert_sources import parse as by_source

    return by_source(payload)


VALUE_KEYS = ("drift_share", "f1", "accuracy", "roc_auc", "error_rate", "value", "latency_p99")


def numeric_values(fields: dict[str, Any], where: str = "values") -> dict[str, float]:
    """Pick measured numbers (drift share, F1, error rate…) out of labels or annotations.

    Text that is no number ("n/a", "NaN", "inf") is left as text; digits past a float's
    range (400 of them, or `1e999`) are refused, naming `where.key`.
    """
    values = {}
    for key in VALUE_KEYS:
        if key not in fields or isinstance(fields[key], bool):
            continue
        try:
            number = float(fields[key])
        except (TypeError, ValueError):
            continue
        except OverflowError:  # an integer too large for a float
            number = float("inf")
        if not math.isfinite(number):
            if not DIGIT.search(str(fields[key])):
                continue  # a word float() happens to read, not a measurement
            raise AlertError(f"{where}.{key}: must be a finite number (at most 1.8e308)")
        values[key] = number
    return values


DIGIT = re.compile(r"[0-9]")


def first_problem(error: ValidationError) -> str:
    """Say where a payload first fails validation, and why, in one line."""
    problem = error.errors()[0]
    where = ".".join(str(p) for p in problem["loc"]) or "alert"
    return f"{where}: {problem['msg']}"
