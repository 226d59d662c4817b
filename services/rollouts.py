"""A challenger earns its promotion on live traffic: shadow, canary, promote or abort.

What every interface and the agent call. The stage changes (`start`, `canary`, `promote`,
`abort`, `end`) take the acting name and are idempotent: asking for the stage a rollout is
already in returns it unchanged. Each change is compare-and-set on the rollout's revision
(`core/rollouts.py`), audited in its transaction and notified after it. `act` is the same
for a person: it checks their role (`rollout`: approver, admin) first.

`evidence` measures both models on the same labelled live rows (the request's row in the
prediction log, the other model's score in `shadow_predictions`, the feedback label);
`decide` applies the gate's own rule (`ml.training.gate.rule`) to it.
"""

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from core import rollouts as records
from core.channels.message import Severity
from core.errors import InvalidInput, NotFound, PolicyError
from core.roles import Principal, require
from core.rollouts import STAGE_CODES, RolloutState, Stage
from ml.training.rollout_evidence import (
    RolloutDecision,
    RolloutEvidence,
    decide,
)
from services.context import Medic

if TYPE_CHECKING:
    from ml.spec import ModelSpec
    from ml.training.heal_config import HealConfig

log = logging.getLogger(__name__)

class RolloutView(BaseModel):
    """A model's rollout: its record, the evidence so far, what it says, this process's counts."""

    model_config = ConfigDict(extra="forbid")

    model: str
    stage: Stage | Literal["none"]
    stage_code: int = Field(description="the `medic_rollout_stage` gauge's value")
    share: float = 0.0
    challenger: str | None = None
    champion: str | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None
    actor: str | None = None
    reason: str | None = None
    incident_id: int | None = None
    revision: int = 0
    evidence: RolloutEvidence | None = None
    decision: RolloutDecision | None = None
    serving: dict | None = Field(None, description="this server process's counts: shadow "
                                 "rows scored, canary answers and errors, median scoring ms")


class RolloutAction(BaseModel):
    """A person's request: start a shadow, set the canary share, promote, abort or end."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["shadow", "canary", "promote", "abort", "end"]
    version: str | None = Field(None, pattern=r"^\d{1,9}$",
                                description="shadow: the registered version to try")
    share: float | None = Field(None, ge=0, le=1, description="canary: the share of callers "
                                "routed to the challenger (0 returns to shadow)")
    expected_revision: int | None = Field(None, ge=1, description="refuse if the rollout "
                                          "moved past this revision meanwhile")
    reason: str = Field("", max_length=500)
    incident_id: int | None = Field(None, ge=1)


# -- stage changes -------------------------------------------------------------------------

def act(medic: Medic, model: str, action: RolloutAction, *, principal: Principal) -> RolloutView:
    """Do a person's rollout action if their role allows it (`rollout`: approver, admin)."""
    require(principal, "rollout")
    actor, reason = principal.name, action.reason
    if action.action == "shadow":
        if action.version is None:
            raise InvalidInput("shadow needs the version to try (`version`)")
        start(medic, model, action.version, actor=actor, reason=reason,
              incident_id=action.incident_id)
    elif action.action == "canary":
        if action.share is None:
            raise InvalidInput("canary needs the share of callers to route (`share`, 0 to 1)")
        canary(medic, model, action.share, actor=actor, reason=reason,
               expected=action.expected_revision)
    elif action.action == "promote":
        promote(medic, model, actor=actor, reason=reason, expected=action.expected_revision)
    elif action.action == "abort":
        abort(medic, model, actor=actor, reason=reason, expected=action.expected_revision)
    else:
        end(medic, model, actor=actor, reason=reason, expected=action.expected_revision)
    return view(medic, model)


def start(medic: Medic, model: str, version: str, *, actor: str, reason: str = "",
          incident_id: int | None = None) -> RolloutState:
    """Put a registered version in shadow beside the model's champion (idempotent)."""
    spec = _spec(medic, model)
    registry = _registry(medic, spec)
    if registry.artifact(version) is None:
        raise NotFound(f"{model} has no version {version} registered through Medic")
    champion = registry.recorded_champion()
    before = records.read(medic.sessions, model)
    state = records.start(medic.sessions, model, challenger=str(version), champion=champion,
                          actor=actor, reason=reason or "shadow started",
                          incident_id=incident_id, clock=medic.clock)
    if before is None or before.revision != state.revision:
        _notify(medic, state, f"{model}: version {version} in shadow beside champion "
                f"{champion or 'none'}", "Every live prediction is also scored by the "
                "challenger, off the request path; callers still get the champion's answer.")
    return state


def canary(medic: Medic, model: str, share: float, *, actor: str, reason: str = "",
           expected: int | None = None) -> RolloutState:
    """Route `share` of the model's callers to the challenger; 0 goes back to shadow."""
    if not 0 <= share <= 1:
        raise InvalidInput(f"a canary share is between 0 and 1, not {share}")
    current = _live(model, records.read(medic.sessions, model))
    stage: Stage = "canary" if share > 0 else "shadow"
    if current.stage == stage and current.share == (share if share > 0 else 0.0):
        return current
    state = _change(medic, current, stage, expected, actor=actor, share=share,
                    reason=reason or f"canary share {share:.0%}")
    _notify(medic, state, f"{model}: canary at {share:.0%} for version {state.challenger}",
            f"{share:.0%} of callers (sticky) are answered by version {state.challenger}; a "
            "challenger that errors or is far slower is aborted automatically.")
    return state


def promote(medic: Medic, model: str, *, actor: str, reason: str = "",
            expected: int | None = None) -> RolloutState:
    """Make the challenger champion through the registry (compare-and-set), then record it.

    The alias moves only if the champion is still the one the rollout started beside.
    """
    current = records.read(medic.sessions, model)
    if current is not None and current.stage == "promoted":
        return current
    current = _live(model, current)
    if expected is not None and current.revision != expected:
        raise _moved(current, expected)
    spec = _spec(medic, model)
    why = reason or "promoted on its live evidence"
    _registry(medic, spec).promote(current.challenger, expected=current.champion, actor=actor,
                                   reason=why)
    state = _change(medic, current, "promoted", current.revision, actor=actor, reason=why)
    _notify(medic, state, f"{model}: version {state.challenger} promoted to champion (was "
            f"{state.champion or 'none'})", why)
    return state


def abort(medic: Medic, model: str, *, actor: str, reason: str = "",
          expected: int | None = None, severity: Severity = "medium") -> RolloutState:
    """Stop the challenger: no more shadow scores, no canary; the champion answers all."""
    current = records.read(medic.sessions, model)
    if current is not None and current.stage == "aborted":
        return current
    current = _live(model, current)
    why = reason or "aborted"
    state = _change(medic, current, "aborted", expected, actor=actor, reason=why)
    _notify(medic, state, f"{model}: rollout of version {state.challenger} aborted", why,
            severity=severity)
    return state


def end(medic: Medic, model: str, *, actor: str, reason: str = "",
        expected: int | None = None) -> RolloutState:
    """End the rollout without a verdict (the challenger stays registered, unserved)."""
    current = records.read(medic.sessions, model)
    if current is not None and current.stage == "ended":
        return current
    current = _live(model, current)
    state = _change(medic, current, "ended", expected, actor=actor, reason=reason or "ended")
    _notify(medic, state, f"{model}: rollout of version {state.challenger} ended",
            state.reason)
    return state


def abort_automatically(medic: Medic, model: str, revision: int, reason: str) -> None:
    """Abort a rollout a serving process judged broken (`ml.serving.shadow`): audited, notified.

    Refused quietly when the rollout moved past `revision` meanwhile (another process, or
    a person, acted first).
    """
    current = records.read(medic.sessions, model)
    if current is None or not current.live or current.revision != revision:
        return
    abort(medic, model, actor="medic", reason=f"automatic abort: {reason}",
          expected=revision, severity="high")


def _live(model: str, current: RolloutState | None) -> RolloutState:
    """Return the model's rollout as the caller read it if live, else NotFound.

    One read per change: read twice, a change by another process in between (an abort)
    made the second read refuse what the first let through.
    """
    if current is None or not current.live:
        raise NotFound(f"{model} has no challenger in shadow or canary"
                       + (f" (its last rollout is {current.stage})" if current else ""))
    return current


def _change(medic: Medic, current: RolloutState, stage: Stage, expected: int | None, *,
            actor: str, reason: str, share: float | None = None) -> RolloutState:
    return records.change(medic.sessions, current.model,
                          expected=expected if expected is not None else current.revision,
                          stage=stage, share=share, actor=actor, reason=reason,
                          clock=medic.clock)


def _moved(current: RolloutState, expected: int) -> PolicyError:
    return PolicyError(f"{current.model}'s rollout changed meanwhile (revision "
                       f"{current.revision}, not {expected}); nothing changed")


def _notify(medic: Medic, state: RolloutState, subject: str, body: str,
            severity: Severity = "medium") -> None:
    from core.notify import Notifier

    Notifier.from_settings(medic.sessions, medic.settings, clock=medic.clock).send(
        subject, body, incident_id=state.incident_id, kind="outcome", severity=severity)


# -- evidence and decision -----------------------------------------------------------------

def view(medic: Medic, model: str, *, serving: dict | None = None,
         config: "HealConfig | None" = None) -> RolloutView:
    """Return a model's rollout with its evidence and decision (stage `none`: never rolled out)."""
    _spec(medic, model)
    state = records.read(medic.sessions, model)
    if state is None:
        return RolloutView(model=model, stage="none", stage_code=0, serving=serving)
    config = config or heal_config(medic, model)
    found = evidence(medic, model, config=config)
    return RolloutView(
        model=model, stage=state.stage, stage_code=STAGE_CODES[state.stage], share=state.share,
        challenger=state.challenger, champion=state.champion, started_at=state.started_at,
        updated_at=state.updated_at, actor=state.actor, reason=state.reason,
        incident_id=state.incident_id, revision=state.revision, evidence=found,
        decision=decide(found, config, now=medic.clock()), serving=serving)


def heal_config(medic: Medic, model: str) -> "HealConfig":
    """Return remediation's settings with the gate judging by the model's own metric."""
    from ml.training.heal_config import HealConfig

    return HealConfig.for_model(medic.settings.retrain_config, _spec(medic, model))


def evidence(medic: Medic, model: str, *, config: "HealConfig | None" = None) -> RolloutEvidence:
    """Measure champion and challenger on the same live rows of the model's current rollout."""
    from ml.training import rollout_evidence

    state = records.read(medic.sessions, model)
    if state is None:
        raise NotFound(f"{model} has never had a rollout")
    return rollout_evidence.evidence(medic.sessions, _spec(medic, model), state,
                                     config or heal_config(medic, model))


def _spec(medic: Medic, model: str) -> "ModelSpec":
    """Return a known model's spec; NotFound names the known ones."""
    from ml import spec as specs

    known = specs.names(medic.settings.models_dir)
    if model not in known:
        raise NotFound(f"no model {model[:100]!r}; known: {', '.join(known)}")
    return specs.of(medic.settings, model)


def _registry(medic: Medic, spec: "ModelSpec"):
    from ml import spec as specs

    return medic.registry.named(specs.registry_name(medic.settings, spec))
