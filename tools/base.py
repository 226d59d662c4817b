"""Declare what a tool is: typed arguments, a risk class, its hooks, a result that never raises.

A tool carries its whole behaviour, so the nodes loop over tools and never name one:
what it measured (`measured`, `facts`), how its arguments come from an incident
(`default_args`), whether it helped (`helped`), and its guard rails (`cooldown_minutes`).
"""

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field, ValidationError

from core.plans import Risk, Status, ToolOutcome
from tools.context import ToolContext

log = logging.getLogger(__name__)

class ToolResult(BaseModel):
    """What a tool did: a status, a one-line message, and its data."""

    status: Status
    message: str = ""
    data: dict[str, Any] = {}

    @classmethod
    def of(cls, outcome: ToolOutcome) -> "ToolResult":
        """Return a finding or an action's result as the tool's own, for its hooks."""
        return cls(status=outcome.status, message=outcome.message, data=outcome.data)


@dataclass(frozen=True)
class IncidentView:
    """What a tool may derive its default arguments from."""

    incident_id: int
    alert: dict[str, Any]
    champion: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """Return 'incident N: alert name', the way people are told about it."""
        return f"incident {self.incident_id}: {self.alert.get('name', '')}"

    @property
    def evidence(self) -> dict[str, Any]:
        """Return the alert's evidence fields that are set."""
        return {k: v for k, v in (self.alert.get("evidence") or {}).items() if v}


class Tool(ABC):
    """A named, typed, risk-classed action the agent may propose."""

    name: ClassVar[str]
    description: ClassVar[str]
    risk: ClassVar[Risk]
    strength: ClassVar[int] = 0
    """How strong a remediation it is (read 0 < notify 1 < reload_model 2 < rollback, retrain,
    promote 3): an LLM plan may not swap an action the rules plan for a weaker one."""
    Args: ClassVar[type[BaseModel]]
    always_investigate: ClassVar[bool] = False
    """Investigation runs it for every alert, whatever its type."""
    wants_evidence: ClassVar[bool] = False
    """It measures the alert's evidence; without evidence it is not run."""
    cooldown_minutes: ClassVar[int] = 0
    """It may not run again this soon after its last successful run."""

    def validate(self, raw: dict[str, Any]) -> BaseModel:
        """Check arguments against the tool's schema; raise ValidationError if they are bad."""
        return self.Args.model_validate(raw or {})

    def __call__(self, context: ToolContext, raw: dict[str, Any]) -> ToolResult:
        """Validate and run; turn any failure into an `error` result, logged."""
        try:
            args = self.validate(raw)
        except ValidationError as error:
            return ToolResult(status="error", message=f"invalid arguments for {self.name}: "
                              f"{error.errors()[0]['msg']}")
        try:
            return self.run(context, args)
        except Exception as error:  # the one boundary where a tool's failure becomes data
            log.error("tool %s failed", self.name, exc_info=True)
            return ToolResult(status="error", message=f"{self.name} failed: {error}"[:500])

    @abstractmethod
    def run(self, context: ToolContext, args: BaseModel) -> ToolResult:
        """Do the work."""

    def default_args(self, incident: IncidentView) -> dict[str, Any]:
        """Return the arguments the rules' plan gives this tool for an incident."""
        return incident.evidence if self.wants_evidence else {}

    def measured(self, result: ToolResult) -> dict[str, float]:
        """Return the numbers it measured, named as the severity rules name them."""
        return {}

    def facts(self, result: ToolResult, values: dict[str, float]) -> dict[str, Any]:
        """Return what the plan rules may test, from its result and every measured value."""
        return {}

    def helped(self, result: ToolResult, context: ToolContext) -> tuple[bool, str]:
        """Return whether its successful run had the effect it promised, and why."""
        return True, result.message or "done"

    def measure_later(self, result: ToolResult, context: ToolContext) -> dict[str, Any] | None:
        """Return what verify must measure later (the incident waits `verifying`), or None.

        None: `helped` judges the successful run now. A dict names the `kind` of
        measurement and what was measured before the action.
        """
        return None

    def schema(self) -> dict:
        """Describe the tool for people and LLMs."""
        return {"name": self.name, "description": self.description, "risk": self.risk,
                "parameters": self.Args.model_json_schema()}


Version = Annotated[str, Field(pattern=r"^\d+$", description="A registered model version.")]
"""A model version number as tools take it: digits, as the registry names versions."""


class NoArgs(BaseModel):
    """A tool that takes nothing."""

    model_config = {"extra": "forbid"}
