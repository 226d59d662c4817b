"""Read how remediation retrains, judges and verifies (`configs/retrain.yaml`)."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.settings import PROJECT_ROOT
from ml.spec import GATE_METRICS

DEFAULT_PATH = PROJECT_ROOT / "configs" / "retrain.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GateConfig(_Frozen):
    """The promotion gate: the metric it judges by, how sure it must be, and its tolerances."""

    judge_share: float = Field(0.3, gt=0, lt=1)
    metric: str = "f1"
    confidence: float = Field(0.9, gt=0, lt=1)
    samples: int = Field(2000, ge=100, le=100_000)
    seed: int = 0
    reference_tolerance: float = Field(0.03, ge=0)
    subgroup_tolerance: float = Field(0.10, ge=0)
    """Both in the metric's own units (F1 points; rentals an hour for MAE)."""
    min_rows: int = Field(30, ge=1)
    min_group_rows: int = Field(15, ge=1)
    collect_hours: float = Field(72, gt=0)

    @field_validator("metric")
    @classmethod
    def _known(cls, name: str) -> str:
        """Refuse a metric the gate's bootstrap does not know (without importing NumPy)."""
        if name not in GATE_METRICS:
            raise ValueError(f"unknown metric {name!r}; known: {', '.join(GATE_METRICS)}")
        return name


class VerifyConfig(_Frozen):
    """How much live labelled traffic verify waits for, and for how long."""

    min_labelled: int = Field(30, ge=1)
    deadline_hours: float = Field(72, gt=0)
    margin: float = Field(0.02, ge=0)
    """In the model's metric's units (the spec's `gate.verify_margin` overrides it)."""
    reload_deadline_minutes: float = Field(60, gt=0)
    """A reload is judged by the serving monitors within this long, or not fixed."""


class ShadowConfig(_Frozen):
    """Whether a retrain the gate passes earns promotion on live traffic first (in shadow)."""

    enabled: bool = False
    """True: a version the gate passes stays challenger and scores live traffic in shadow; it
    is promoted when the labelled live rows both models scored show it better (the gate's
    rule at its confidence), refused when they show it worse."""
    deadline_hours: float = Field(72, gt=0)
    """Undecided this long after the shadow started: a person decides."""
    approve_promotion: bool = False
    """True: when the shadow's live evidence says promote, the sweep does not move the alias
    but asks a person (an approval whose action is the promotion, its card showing the
    evidence); approving promotes, rejecting aborts the shadow."""


class HealConfig(_Frozen):
    """Remediation's settings."""

    window_minutes: int = Field(43200, ge=1)
    gate: GateConfig = GateConfig()
    verify: VerifyConfig = VerifyConfig()
    shadow: ShadowConfig = ShadowConfig()

    @classmethod
    def from_yaml(cls, path: Path = DEFAULT_PATH) -> "HealConfig":
        """Read the config file."""
        return cls.model_validate(yaml.safe_load(Path(path).read_text()) or {})

    @classmethod
    def for_model(cls, path: Path, spec) -> "HealConfig":
        """Read the config file, the gate judging by the model spec's metric and tolerances."""
        config = cls.from_yaml(path)
        own = spec.gate.model_dump(exclude={"verify_margin"})
        gate = GateConfig.model_validate(config.gate.model_dump() | own)
        verify = config.verify if spec.gate.verify_margin is None else \
            config.verify.model_copy(update={"margin": spec.gate.verify_margin})
        return config.model_copy(update={"gate": gate, "verify": verify})
