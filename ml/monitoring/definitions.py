"""Read monitor definitions (window, minimum rows, thresholds, hysteresis) from YAML."""

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from core.errors import ConfigError

if TYPE_CHECKING:
    from ml.monitoring.kind import MonitorKind
    from ml.spec import ModelSpec


class MonitorDefinition(BaseModel):
    """One monitor: what it measures over which window, and when it warns and fires."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(..., pattern=r"^[a-z][a-z0-9_]{0,63}$")
    kind: str  # a name in `ml.monitoring.kinds.KINDS`
    enabled: bool = True
    window_minutes: int = Field(60, ge=1, le=7 * 24 * 60)
    min_rows: int = Field(30, ge=0)
    warning: float
    critical: float
    fire_after: int = Field(2, ge=1, le=100)
    resolve_after: int = Field(3, ge=1, le=100)
    severity: Literal["info", "warning", "high", "critical"] = "high"
    metric: Literal["f1", "accuracy", "roc_auc", "mae", "rmse", "r2"] = "f1"
    max_calibration_error: float = Field(0.1, gt=0, le=1)

    @property
    def declared(self) -> "MonitorKind":
        """Return the declaration of this monitor's kind."""
        from ml.monitoring.kinds import kind_of

        return kind_of(self.kind)

    @property
    def direction(self) -> Literal["above", "below"]:
        """Return "above" when a larger value is worse, "below" when a smaller one is."""
        return self.declared.direction_of(self)

    @property
    def alert_type(self) -> str:
        """Return the alert type a firing of this monitor reports."""
        return self.declared.alert_type

    @field_validator("kind")
    @classmethod
    def _known(cls, kind: str) -> str:
        from ml.monitoring.kinds import KINDS

        if kind not in KINDS:
            raise ValueError(f"unknown monitor kind {kind!r} (known: {', '.join(KINDS)})")
        return kind

    @model_validator(mode="after")
    def _ordered(self) -> "MonitorDefinition":
        worse = self.critical >= self.warning if self.direction == "above" \
            else self.critical <= self.warning
        if not worse:
            side = "at or above" if self.direction == "above" else "at or below"
            raise ValueError(f"critical must be {side} warning for a {self.kind} monitor")
        refused = self.declared.refuse(self) if self.declared.refuse else ""
        if refused:
            raise ValueError(refused)
        return self


class MonitorDefinitions(BaseModel):
    """All monitors, as read from `configs/monitors.yaml`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    monitors: tuple[MonitorDefinition, ...]

    @model_validator(mode="after")
    def _unique(self) -> "MonitorDefinitions":
        names = [m.name for m in self.monitors]
        if len(names) != len(set(names)):
            raise ValueError("monitor names must be unique")
        return self

    @property
    def enabled(self) -> tuple[MonitorDefinition, ...]:
        """Return the monitors that run."""
        return tuple(m for m in self.monitors if m.enabled)

    def for_model(self, spec: "ModelSpec", *, serving: bool = True) -> "MonitorDefinitions":
        """Return the monitors that watch `spec`'s model, with its own thresholds applied.

        The spec's `monitoring.performance` sets the metric and levels of every
        `performance` monitor, its `monitoring.thresholds` the levels of the monitors it
        names; windows and hysteresis stay as defined here. Kinds that do not fit the
        model's task (an estimate from probabilities, for a regressor) are left out, and
        so are the kinds reading the API's own counts unless `serving`.
        """
        unknown = sorted(set(spec.monitoring.thresholds) - {m.name for m in self.monitors})
        if unknown:
            raise ConfigError(f"{spec.name}.yaml: monitoring.thresholds: no monitor named "
                              f"{unknown[0]!r} (known: {', '.join(m.name for m in self.monitors)})")
        performance = spec.monitoring.performance.model_dump()
        chosen = []
        for monitor in self.monitors:
            kind = monitor.declared
            if spec.task not in kind.tasks or (kind.reads_serving and not serving):
                continue
            update = dict(performance) if monitor.kind == "performance" else {}
            if monitor.name in spec.monitoring.thresholds:
                update.update(spec.monitoring.thresholds[monitor.name].model_dump())
            if update:
                try:
                    monitor = MonitorDefinition.model_validate(
                        {**monitor.model_dump(), **update})
                except ValidationError as error:
                    message = error.errors()[0]["msg"].removeprefix("Value error, ")
                    raise ConfigError(f"{spec.name}.yaml: monitoring, for monitor "
                                      f"{monitor.name!r}: {message}") from error
            chosen.append(monitor)
        return MonitorDefinitions(monitors=tuple(chosen))

    def get(self, name: str) -> MonitorDefinition:
        """Return the monitor called `name`; raise ConfigError if there is none."""
        for monitor in self.monitors:
            if monitor.name == name:
                return monitor
        raise ConfigError(f"no monitor named {name!r}")


def load(path: Path | str) -> MonitorDefinitions:
    """Read and check the definitions file; raise ConfigError with the first problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot read monitor definitions ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("monitors"), dict):
        raise ConfigError(f"{path}: expected a 'monitors' mapping of name to definition")
    monitors = [{"name": name, **(body or {})} for name, body in raw["monitors"].items()]
    try:
        return MonitorDefinitions.model_validate({**raw, "monitors": monitors})
    except ValidationError as error:
        first = error.errors()[0]
        loc = list(first["loc"])
        if loc[:1] == ["monitors"] and len(loc) > 1 and isinstance(loc[1], int):
            loc[1] = monitors[loc[1]]["name"]
        where = ".".join(str(p) for p in loc)
        raise ConfigError(f"{path}: {where}: {first['msg']}") from error

