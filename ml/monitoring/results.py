"""Hold one monitor check's outcome and turn it into alert evidence."""

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ml.monitoring.definitions import MonitorDefinition

State = Literal["ok", "warning", "critical", "insufficient_data"]


class MonitorResult(BaseModel):
    """One check of one monitor: what was measured over which window, and what it means."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str
    model: str | None = None  # the model whose rows were checked (set by the caller)
    value_name: str
    alert_type: str
    severity: str
    window_minutes: int
    rows: int
    min_rows: int
    value: float | None
    warning: float
    critical: float
    direction: Literal["above", "below"]
    state: State
    reliable: bool = True
    values: dict[str, float] = {}
    details: dict[str, Any] = {}
    note: str = ""

    def points(self) -> dict[str, float]:
        """Return the numbers a history keeps: values, numeric details, drift per column.

        A drift check adds `drifted:<column>` (1.0 drifted, 0.0 not) for each column tested.
        """
        numbers = {**{k: v for k, v in self.details.items() if _number(v)}, **self.values}
        kept = {k: float(v) for k, v in numbers.items() if _finite(v)}
        kept.update({f"drifted:{c['column']}": float(c["drifted"])
                     for c in self.details.get("columns", [])})
        return kept

    def to_alert(self, status: Literal["firing", "resolved"] = "firing") -> dict[str, Any]:
        """Return Medic's alert JSON for this result: the window and the measured values."""
        values = {k: v for k, v in self.values.items() if _finite(v)}
        if _finite(self.value):
            values[self.value_name] = float(self.value)
        values["rows"] = float(self.rows)
        summary = (f"{self.model + ': ' if self.model else ''}"
                   f"{self.value_name} {_shown(self.value)} over the last {self.window_minutes} "
                   f"min ({self.rows} rows); warning at {_shown(self.warning)}, "
                   f"critical at {_shown(self.critical)}")
        if not self.reliable:
            summary += "; estimate unreliable (model poorly calibrated on the reference)"
        return {
            "source": "medic", "type": self.alert_type, "status": status,
            "name": f"Monitor{''.join(p.title() for p in self.name.split('_'))}",
            # Labels make the fingerprint: the level stays out so warning -> critical
            # (and the resolution) land on the same incident.
            "labels": {"monitor": self.name, "kind": self.kind, "severity": self.severity},
            "annotations": {"summary": summary, "level": self.state,
                            "reliable": str(self.reliable).lower()},
            "values": values,
            "evidence": {"window_minutes": self.window_minutes},
        }


def classify(definition: MonitorDefinition, value: float | None, rows: int,
             enough: bool | None = None) -> State:
    """Return the state a value puts a monitor in (too few rows: `insufficient_data`)."""
    if not (rows >= definition.min_rows if enough is None else enough) or not _finite(value):
        return "insufficient_data"
    if definition.direction == "above":
        if value >= definition.critical:
            return "critical"
        return "warning" if value >= definition.warning else "ok"
    if value < definition.critical:
        return "critical"
    return "warning" if value < definition.warning else "ok"


def result(definition: MonitorDefinition, *, rows: int, value: float | None,
           enough: bool | None = None, **extra) -> MonitorResult:
    """Build a monitor's result from its definition and what was measured."""
    return MonitorResult(
        name=definition.name, kind=definition.kind, value_name=value_name(definition),
        alert_type=definition.alert_type,
        severity=definition.severity, window_minutes=definition.window_minutes, rows=rows,
        min_rows=definition.min_rows, value=value if _finite(value) else None,
        warning=definition.warning, critical=definition.critical,
        direction=definition.direction,
        state=classify(definition, value, rows, enough), **extra)


def value_name(definition: MonitorDefinition) -> str:
    """Return the name a monitor's value goes by in an alert (`f1`, `drift_share`, ...)."""
    return definition.declared.value_name_of(definition)


def too_few(definition: MonitorDefinition, window) -> str:
    """Say that the window holds fewer rows than the monitor needs."""
    return f"{len(window)} rows in the window, {definition.min_rows} needed"


def finite_or_none(value: float) -> float | None:
    """Return the value as a float, or None for NaN (JSON has no NaN)."""
    return None if value != value else float(value)


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value) -> bool:
    return value is not None and math.isfinite(value)


def _shown(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}"
