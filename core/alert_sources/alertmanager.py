"""Prometheus Alertmanager's webhook (version 4): each alert in it on its own."""

import re
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from core.alert_source import AlertSource
from core.alerts import Alert, Evidence, first_problem, numeric_values
from core.errors import AlertError

WHOLE_MINUTES = re.compile(r"[0-9]{1,9}")  # ASCII digits only: "²" is a digit to isdigit()


def from_alertmanager(payload: Any) -> list[Alert]:
    """Read an Alertmanager webhook (version 4): each alert in it on its own."""
    if not isinstance(payload, dict) or str(payload.get("version")) != "4":
        raise AlertError("not an Alertmanager webhook payload (version 4)")
    raw = payload.get("alerts")
    if not isinstance(raw, list) or not raw:
        raise AlertError("the Alertmanager payload holds no alerts")
    common = payload.get("commonLabels") or {}
    alerts = []
    try:
        for item in raw:
            labels = {**common, **(item.get("labels") or {})}
            annotations = item.get("annotations") or {}
            alerts.append(Alert(
                source="alertmanager",
                name=labels.get("alertname", "unnamed"),
                status="resolved" if item.get("status") == "resolved" else "firing",
                labels={str(k): str(v) for k, v in labels.items()},
                annotations={str(k): str(v) for k, v in annotations.items()},
                values={**numeric_values(labels, "labels"),
                        **numeric_values(annotations, "annotations")},
                evidence=_evidence(annotations),
                fingerprint=str(item.get("fingerprint") or ""),
                starts_at=_time(item.get("startsAt"), "startsAt"),
                ends_at=_time(item.get("endsAt"), "endsAt"),
            ))
    except (ValidationError, AttributeError, TypeError, ValueError) as error:
        message = first_problem(error) if isinstance(error, ValidationError) else str(error)
        raise AlertError(f"bad alert in Alertmanager payload: {message}") from error
    return alerts


def _evidence(annotations: dict) -> Evidence | None:
    path, window = annotations.get("data_path"), annotations.get("window_minutes")
    if not path and not window:
        return None
    text = str(window).strip() if window and not isinstance(window, bool | float) else ""
    if window and not WHOLE_MINUTES.fullmatch(text):
        raise AlertError("annotations.window_minutes: must be a whole number of minutes "
                         "(1-10080)")
    return Evidence(data_path=path or None,
                    window_minutes=int(text) if window else None)


def _time(value: Any, field: str) -> datetime | None:
    if not value or str(value).startswith("0001-01-01"):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as error:
        raise AlertError(f"{field} is not an RFC 3339 time") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def recognises(payload: Any) -> bool:
    """Tell Alertmanager's payload apart by its `version` and `alerts` fields."""
    return isinstance(payload, dict) and "version" in payload and "alerts" in payload


ALERTMANAGER = AlertSource(name="alertmanager", parse=from_alertmanager, recognises=recognises)
