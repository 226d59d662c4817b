"""Decide what may run: the gate no model output can reach.

Risk classes come from the registered tools, thresholds and budgets from configuration;
a plan is only a list of tool names and arguments, so nothing in it can loosen the gate.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from agent_graph.config import AgentConfig
from core.plans import PlannedAction
from tools import TOOLS


@dataclass(frozen=True)
class Usage:
    """What already ran for this model recently (from the action log)."""

    runs: dict[str, int] = field(default_factory=dict)
    ineffective: dict[str, int] = field(default_factory=dict)
    last_run: dict[str, datetime] = field(default_factory=dict)
    """When each tool last ran successfully (for cooldowns)."""


@dataclass(frozen=True)
class GateDecision:
    """The gate's verdict and why."""

    verdict: str  # nothing_to_do, log_only, recommend_only, escalate, approval, run
    reasons: list[str]

    @property
    def goto(self) -> str:
        """Return the next node."""
        return {"approval": "approval", "run": "act"}.get(self.verdict, "record")


def risk_of(tool: str) -> str:
    """Return a tool's declared risk class; an unknown tool counts as risky."""
    found = TOOLS.get(tool)
    return found.risk if found else "risky"


def planned(tool: str, args: dict) -> PlannedAction:
    """Return a planned call of `tool` with the risk class the tool declares."""
    return PlannedAction(tool=tool, args=args, risk=risk_of(tool))


def needs_approval(tool: str, level: str) -> bool:
    """Return the stricter of the tool's floor and the severity band."""
    risk = risk_of(tool)
    return risk == "risky" or (level == "high" and risk != "read")


def strength_of(tool: str) -> int:
    """Return a tool's declared remediation strength; an unknown tool counts as none."""
    found = TOOLS.get(tool)
    return found.strength if found else 0


def weakened(rules_plan: list[str], llm_plan: list[str], considered: set[str]) -> list[str]:
    """Return how the LLM's plan falls short of the rules': each action it leaves out or weakens.

    An action of the rules' plan is kept if the LLM's plan has it, or has an action at least
    as strong that the rules also consider for this alert type (choosing between them).
    """
    short = []
    for tool in rules_plan:
        if tool in llm_plan or any(other in considered and strength_of(other) >= strength_of(tool)
                                   for other in llm_plan):
            continue
        weaker = [other for other in llm_plan if 0 < strength_of(other) < strength_of(tool)]
        short.append(f"{tool} swapped for the weaker {', '.join(weaker)}" if weaker
                     else f"{tool} left out")
    return short


def cooldown_minutes(tool: str, config: AgentConfig) -> int:
    """Return a tool's cooldown: the configured override, else the tool's own declaration."""
    if tool in config.budget.cooldown_minutes:
        return config.budget.cooldown_minutes[tool]
    found = TOOLS.get(tool)
    return found.cooldown_minutes if found else 0


def decide(plan: list[PlannedAction], level: str, config: AgentConfig,
           usage: Usage | Callable[[], Usage], now: datetime, *,
           needs_person: bool = False) -> GateDecision:
    """Apply severity band, recommend-only mode, budgets and risk floors, in that order.

    `usage` may be a function that reads it: it is called only when the budgets are
    checked, so a plan logged or only recommended costs no read of the action log.
    """
    if not plan:
        return GateDecision("nothing_to_do", ["the plan has no actions"])
    if level == "low" and not needs_person:
        return GateDecision("log_only", ["severity is low: log only"])
    if config.recommend_only:
        return GateDecision("recommend_only", ["recommend-only mode: nothing is executed"])
    problems = budget_problems(plan, config, usage() if callable(usage) else usage, now)
    if problems:
        return GateDecision("escalate", problems)
    if needs_person:
        return GateDecision("approval", ["LLM and rules disagree (severity by more than one "
                                         "band, or a plan weaker than the rules'): "
                                         "a person decides"])
    gated = [s.tool for s in plan if needs_approval(s.tool, level)]
    if gated:
        return GateDecision("approval", [f"{', '.join(gated)} need approval "
                                         f"(risk floor or {level} severity)"])
    return GateDecision("run", [f"only safe actions at {level} severity: run them"])


def budget_problems(plan: list[PlannedAction], config: AgentConfig, usage: Usage,
                    now: datetime) -> list[str]:
    """Return why the budgets, the ineffective count or a cooldown forbid a plan."""
    limits, problems = config.budget, []
    for tool in (step.tool for step in plan):
        if tool not in TOOLS:
            problems.append(f"{tool} is not a registered tool")
        cap = limits.max_runs.get(tool)
        if cap is not None and usage.runs.get(tool, 0) >= cap:
            problems.append(f"{tool} already ran {usage.runs[tool]} times in "
                            f"{limits.window_hours} h (budget {cap})")
        if usage.ineffective.get(tool, 0) >= limits.max_ineffective:
            problems.append(f"{tool} did not help {usage.ineffective[tool]} times: "
                            "a person should look")
        minutes = cooldown_minutes(tool, config)
        last = usage.last_run.get(tool)
        if minutes and last and now - last < timedelta(minutes=minutes):
            problems.append(f"{tool} ran within its {minutes}-minute cooldown: "
                            f"no {tool} ping-pong")
    return problems


def digest(incident_id: int, model: str, champion: str | None,
           plan: list[PlannedAction]) -> str:
    """Bind an approval to exactly what will run: tools, arguments, model, champion version."""
    body = json.dumps({"incident": incident_id, "model": model, "champion": champion,
                       "actions": [{"tool": s.tool, "args": s.args} for s in plan]},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def action_key(incident_id: int, plan_digest: str, tool: str, args: dict) -> str:
    """Return the idempotency key of one action of one plan."""
    body = json.dumps([incident_id, plan_digest, tool, args], sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()
