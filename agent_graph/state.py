"""The agent's state: one typed dict, the alert in, the decision and its outcome out."""

import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypedDict

from agent_graph.config import AgentConfig
from agent_graph.llm.client import LLM
from core.clock import Clock, utcnow
from core.plans import ActionResult, Finding, PlannedAction
from tools.context import Sessions, ToolContext


class AgentInput(TypedDict):
    """What starts a thread: the incident and the alert that opened it."""

    incident_id: int
    alert: dict[str, Any]


class AgentState(AgentInput, total=False):
    """Everything the nodes learn and decide, checkpointed after each node.

    A thread checkpointed before plans, results and findings were typed holds dicts in
    their place: nodes read them through `PlannedAction.all` (and its siblings).
    """

    alert_type: str
    """drift, performance, system_error or unknown (triage)."""
    severity_score: float
    """0 to 1, from the rules (or the LLM, checked against them)."""
    severity_level: str
    """low, medium or high, from the configured thresholds."""
    decided_by: str
    """Who scored and planned: `rules`, `llm`, or `person` when the LLM's plan was weaker."""
    needs_person: bool
    """True when LLM and rules disagree (severity by two bands, or a weaker LLM plan)."""
    proposals: dict[str, list[str] | None]
    """The plans proposed, by proposer (`rules`, and `llm` when one was asked)."""
    dropped: list[str]
    """How the LLM's plan fell short of the rules' (left out or weakened an action)."""
    reasons: Annotated[list[str], operator.add]
    """Why each decision was taken, in order."""
    values: dict[str, float]
    """Measured numbers: from the alert, replaced by the tools' own measurements."""
    findings: Annotated[list[Finding], operator.add]
    """Results of the read tools run during investigation."""
    facts: dict[str, Any]
    """What the plan rules test (drift share, previous version healthy, …)."""
    plan: list[PlannedAction]
    """Actions proposed: tool, arguments, risk."""
    champion: str | None
    """Champion version when the plan was made; the approval is bound to it."""
    digest: str
    """Digest of exactly what will run."""
    verdict: str
    """The gate's verdict."""
    approval_id: int | None
    """The approval asked for, if any."""
    results: Annotated[list[ActionResult], operator.add]
    """What each executed action returned, with whether it helped."""
    watch: dict[str, Any] | None
    """What verify waits for after a champion move: run id, before, after, since."""
    outcome: str
    """One line for people: how the incident ended."""


@dataclass(frozen=True)
class AgentContext:
    """The real components the nodes use; handed in at run time, never checkpointed."""

    config: AgentConfig
    tools: ToolContext
    model_name: str
    llm: LLM | None = None
    """The configured LLM, or None: the rules decide."""
    clock: Clock = utcnow
    store: Sessions | None = None
    """Where the agent records incidents, if not the tools' database (replay's scratch)."""
    prompts_dir: Path | None = None
    """Prompt templates that override `prompts/` (to try a new prompt set)."""

    @property
    def sessions(self) -> Sessions:
        """Return the session factory the agent records into (the tools' own by default)."""
        return self.store if self.store is not None else self.tools.sessions
