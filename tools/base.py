"""Declare what a tool is: typed arguments, a risk class, and a result that never raises."""

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

Risk = Literal["read", "safe", "risky"]
Status = Literal["success", "error", "no_data", "approval_required", "stored_only"]


class ToolResult(BaseModel):
    """What a tool did: a status, a one-line message, and its data."""

    status: Status
    message: str
    data: dict[str, Any] = {}


@dataclass
class ToolContext:
    """The real components tools act on."""

    settings: Any
    sessions: Any
    registry: Any
    serving: Any
    notifier: Any


class Tool(ABC):
    """A named, typed, risk-classed action the agent may propose."""

    name: ClassVar[str]
    description: ClassVar[str]
    risk: ClassVar[Risk]
    Args: ClassVar[type[BaseModel]]

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

    def schema(self) -> dict:
        """Describe the tool for people and LLMs."""
        return {"name": self.name, "description": self.description, "risk": self.risk,
                "parameters": self.Args.model_json_schema()}


class NoArgs(BaseModel):
    """A tool that takes nothing."""

    model_config = {"extra": "forbid"}
