"""What flows from the agent to the services: planned actions, their results, findings.

Typed once here, in the base layer, so neither the agent nor the services (nor the tools'
hooks) index dicts, and importing them costs the API's start-up nothing. The graph
state holds them (the checkpointer serialises them); the app database stores their
`model_dump()` (the same keys as before: `tool`, `args`, `risk`, …). Threads
checkpointed before these types held plain dicts, so every reader accepts both (`of`).
"""

from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict

Risk = Literal["read", "safe", "risky"]
"""A tool's risk class: `read` changes nothing, `safe` may run unasked, `risky` needs a person."""
Status = Literal["success", "error", "no_data", "approval_required", "stored_only"]
"""How a tool's run ended."""


class _Typed(BaseModel):
    model_config = ConfigDict(frozen=True)

    @classmethod
    def of(cls, value: "Self | dict[str, Any]") -> Self:
        """Return `value` as this type (an older checkpoint or a stored row holds a dict)."""
        return value if isinstance(value, cls) else cls.model_validate(value)

    @classmethod
    def all(cls, values: list | None) -> list[Self]:
        """Return each of `values` as this type (None: none)."""
        return [cls.of(v) for v in values or []]


class PlannedAction(_Typed):
    """One action of a plan: the tool, its validated arguments, its risk class."""

    tool: str
    args: dict[str, Any] = {}
    risk: Risk = "risky"
    """The tool's declared class (`agent_graph.policy.planned`); an unknown tool is risky."""


class ToolOutcome(_Typed):
    """A tool's result, named by its tool (a finding, or an action's result)."""

    tool: str
    status: str
    message: str = ""
    data: dict[str, Any] = {}


class Finding(ToolOutcome):
    """What one read tool measured during investigation."""

    status: Status


class ActionResult(ToolOutcome):
    """What one executed action returned, and under which action run."""

    run_id: int
    repeated: bool = False
    """It had already run under the same idempotency key: its stored result, not re-run."""
