"""Ask the LLM to assess, investigate and plan; validate everything it says.

Each function returns None (or an empty list) when the LLM is not configured or fails,
with the reason, so the node keeps the rules' answer.
"""

import logging
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from agent_graph import policy
from agent_graph.llm.client import LLMError, openai_tool
from agent_graph.llm.schema import fit_lengths
from core.plans import Finding, PlannedAction
from prompts import as_data, render
from tools import TOOLS

log = logging.getLogger(__name__)

BANDS = ("low", "medium", "high")


class SeverityAssessment(BaseModel):
    """Report the alert's severity (0 to 1), its type, and a short rationale."""

    score: float = Field(..., ge=0, le=1)
    alert_type: Literal["drift", "performance", "system_error", "unknown"]
    rationale: str = Field(..., min_length=1, max_length=2000)  # truncated, not refused


def system_prompt(context) -> str:
    """Return the system prompt, the same for every call."""
    return _render(context, "system", model=context.model_name)


def assess(context, state) -> tuple[SeverityAssessment | None, str]:
    """Return the LLM's assessment, or None and why not."""
    if context.llm is None:
        return None, "no LLM configured"
    prompt = _render(context, "assess", alert=as_data(state["alert"]),
                     values=as_data(state.get("values")),
                     medium=context.config.thresholds.medium, high=context.config.thresholds.high)
    try:
        return context.llm.structured(system_prompt(context), prompt, SeverityAssessment), ""
    except LLMError as error:
        log.warning("LLM assessment failed: %s", error)
        return None, f"LLM failed ({error})"


def band_gap(one: str, other: str) -> int:
    """Return how many severity bands apart two levels are."""
    return abs(BANDS.index(one) - BANDS.index(other))


def read_calls(context, state) -> tuple[list[tuple[str, dict]], list[str]]:
    """Return the read-only tool calls the LLM asks for, and notes on those refused."""
    tools = [t for t in TOOLS.values() if t.risk == "read"]
    prompt = _render(context, "investigate", alert=as_data(state["alert"]),
                     alert_type=state["alert_type"],
                     score=state["severity_score"], level=state["severity_level"],
                     evidence=state["alert"].get("evidence"))
    try:
        calls = context.llm.tool_calls(system_prompt(context), prompt, _schemas(tools))
    except LLMError as error:
        return [], [f"LLM investigation failed ({error}); rules' investigation stands"]
    return _validated(calls, allowed={t.name for t in tools})


def plan_calls(context, state, champion: str | None) -> tuple[list[PlannedAction] | None, str]:
    """Return the plan the LLM proposes (validated), or None and why it was refused."""
    tools = [t for t in TOOLS.values() if t.risk != "read"]
    prompt = _render(context, "plan", alert=as_data(state["alert"]),
                     alert_type=state["alert_type"],
                     score=state["severity_score"], level=state["severity_level"],
                     champion=champion, findings=as_data(
                         [f.model_dump(include={"tool", "status", "message"})
                          for f in Finding.all(state.get("findings"))]))
    try:
        calls = context.llm.tool_calls(system_prompt(context), prompt, _schemas(tools))
    except LLMError as error:
        return None, f"LLM plan failed ({error})"
    valid, problems = _validated(calls, allowed={t.name for t in tools})
    for name, args in valid:
        if "expected_champion" in args and args["expected_champion"] != champion:
            problems.append(f"{name} names champion {args['expected_champion']}, "
                            f"but it is {champion}")
    if problems:
        return None, "LLM plan refused: " + "; ".join(problems)
    return [policy.planned(name, args) for name, args in valid], ""


def _render(context, name: str, **values) -> str:
    """Render a prompt from the configured folder (file by file) or the packaged one."""
    return render(name, folder=context.prompts_dir, **values)


def _validated(calls, allowed: set[str]) -> tuple[list[tuple[str, dict]], list[str]]:
    valid, problems = [], []
    for call in calls:
        if call.name not in allowed:
            problems.append(f"unknown or disallowed tool {call.name!r}")
            continue
        try:
            raw = fit_lengths(call.args, TOOLS[call.name].Args)
            args = TOOLS[call.name].validate(raw).model_dump(mode="json")
        except ValidationError as error:
            problems.append(f"invalid arguments for {call.name}: {error.errors()[0]['msg']}")
            continue
        valid.append((call.name, args))
    return valid, problems


def _schemas(tools) -> list[dict]:
    return [openai_tool(s["name"], s["description"], s["parameters"])
            for s in (t.schema() for t in tools)]
