"""The shapes Medic's records are read in: incidents, their approvals, actions and audit trail.

Defined here, at the base, so every layer above passes the same typed views (the services
compose them into pages and overviews in `services/views.py`).
"""

from typing import Any

from pydantic import BaseModel, Field

from core.plans import PlannedAction


class IncidentSummary(BaseModel):
    """An incident in a list."""

    id: int
    model: str = Field(description="the model the incident is about")
    state: str
    title: str
    type: str
    severity_score: float | None
    severity_level: str | None
    decided_by: str | None
    alerts: int
    last_seen: str | None


class ApprovalView(BaseModel):
    """An approval with the context a person decides on."""

    id: int
    incident_id: int
    status: str
    actions: list[PlannedAction]
    digest: str
    context: dict[str, Any]
    requested_at: str | None
    expires_at: str | None
    decided_by: str | None
    decided_at: str | None
    comment: str
    acknowledged_by: str | None = None
    """Who said "I'm looking" (the escalation stopped)."""
    asked: list[str] = []
    """The key holders the escalation asked, in order."""
    required: int = 1
    """How many different approvers must approve (2 under a two-person rule)."""
    approved_by: list[str] = []
    """Who approved so far ("1 of 2")."""


class ActionView(BaseModel):
    """One action the agent ran."""

    tool: str
    args: dict[str, Any]
    status: str
    result: dict[str, Any]
    effective: bool | None
    started_at: str | None


class PlanStep(PlannedAction):
    """A planned action, and how its run ended (None: it did not run)."""

    execution: str | None


class Diagnosis(BaseModel):
    """What one read tool found, in brief."""

    tool: str
    status: str
    message: str


class AuditEntryView(BaseModel):
    """One audit log entry."""

    id: int
    at: str
    incident_id: int | None
    actor: str
    event: str
    data: dict[str, Any]
    hash: str


class AlertSeen(BaseModel):
    """One distinct alert an incident holds (several monitors may report one cause)."""

    name: str
    fingerprint: str
    monitor: str | None
    status: str
    first_received: str | None
    last_received: str | None
    received: int


class RolloutStage(BaseModel):
    """One stage of an incident's rollout: trained, gated, in shadow, asked a person, decided."""

    stage: str
    at: str
    actor: str
    detail: str
    """What happened, with its numbers (rows, metric, interval, agreement, who decided)."""


class IncidentDetail(IncidentSummary):
    """Everything about an incident: decision, plan, approvals, actions, timeline."""

    fingerprint: str
    first_seen: str | None
    alert: dict[str, Any]
    decision_note: str | None = None
    diagnosis: list[Diagnosis] | None
    plan: list[PlanStep]
    verdict: str | None
    approvals: list[ApprovalView]
    actions: list[ActionView]
    outcome: str | None
    flaps: int = 0  # a low-severity alert fired again soon after closing and joined
    alert_list: list[AlertSeen] = []  # each distinct alert (correlated monitors too)
    timeline: list[AuditEntryView]
    rollout: list[RolloutStage] = []
    """The stages of the incident's rollout, in order (empty: it retrained nothing)."""

