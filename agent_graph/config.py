"""Read the agent's rules (`configs/agent.yaml`) into one frozen object."""

from datetime import UTC, datetime, time
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from configs import CONFIG_DIR
from core.plans import PlannedAction


class Thresholds(BaseModel):
    """Severity bands: below medium is low, at or above high is high."""

    model_config = ConfigDict(frozen=True)
    medium: float = Field(0.5, ge=0, le=1)
    high: float = Field(0.7, ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> "Thresholds":
        if self.medium > self.high:
            raise ValueError("thresholds.medium must not exceed thresholds.high")
        return self


class Budget(BaseModel):
    """Guard rails against loops: how often each tool may run, cooldowns."""

    model_config = ConfigDict(frozen=True)
    window_hours: int = 24
    max_runs: dict[str, int] = Field(default_factory=dict)
    cooldown_minutes: dict[str, int] = Field(default_factory=dict)
    """Overrides of a tool's own cooldown, by tool name."""
    max_ineffective: int = 2


class ValueRule(BaseModel):
    """A measured value that sets a severity score."""

    model_config = ConfigDict(frozen=True)
    value: str
    at_least: float | None = None
    below: float | None = None
    score: float = Field(..., ge=0, le=1)

    def matches(self, values: dict[str, float]) -> bool:
        """Return True if the value is present and within the rule's bound."""
        if self.value not in values:
            return False
        number = values[self.value]
        if self.at_least is not None and number < self.at_least:
            return False
        return not (self.below is not None and number >= self.below)


class Severity(BaseModel):
    """Scores by alert type, by severity label, and by measured values."""

    model_config = ConfigDict(frozen=True)
    base: dict[str, float]
    labels: dict[str, float] = Field(default_factory=dict)
    values: list[ValueRule] = Field(default_factory=list)


class PlanRule(BaseModel):
    """Alert type and conditions mapped to remediation actions."""

    model_config = ConfigDict(frozen=True)
    type: str
    when: dict[str, object] = Field(default_factory=dict)
    actions: list[str]


class TwoPerson(BaseModel):
    """A tool that runs only after two different approvers approved the same plan.

    `working_hours` ("08:00-18:00", UTC, Monday to Friday): the rule holds only outside them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    tool: str
    working_hours: str | None = Field(None, pattern=r"^\d\d:\d\d-\d\d:\d\d$")

    def holds(self, tool: str, at: datetime) -> bool:
        """Say whether the rule asks for two approvers for `tool` at `at`."""
        if tool != self.tool:
            return False
        if self.working_hours is None:
            return True
        start, end = (time.fromisoformat(part) for part in self.working_hours.split("-"))
        return not (at.weekday() < 5 and start <= at.astimezone(UTC).time() < end)


class AgentConfig(BaseModel):
    """Everything the rule-based path and the gate need."""

    model_config = ConfigDict(frozen=True)
    thresholds: Thresholds = Thresholds()
    approval_ttl_minutes: int = Field(60, ge=1)
    recommend_only: bool = False
    rerun_interrupted: list[str] = Field(default_factory=list)
    budget: Budget = Budget()
    two_person: list[TwoPerson] = Field(default_factory=list)
    severity: Severity
    investigate: dict[str, list[str]] = Field(default_factory=dict)
    plans: list[PlanRule]

    def approvers_needed(self, plan: list[PlannedAction], at: datetime) -> int:
        """Return how many different approvers the plan needs at `at`: 2 if a rule holds."""
        return 2 if any(rule.holds(step.tool, at) for rule in self.two_person
                        for step in plan) else 1

    @classmethod
    def load(cls, path: Path | None = None) -> "AgentConfig":
        """Read the YAML file (default `configs/agent.yaml`)."""
        path = path or CONFIG_DIR / "agent.yaml"
        return cls.model_validate(yaml.safe_load(Path(path).read_text()))
