"""Submit alerts from any source: parse, cap, store all or nothing, wake the agent."""

import asyncio

from core import alert_sources
from core.alerts import Alert, read_json
from core.errors import TooLarge
from core.ingest import Ingested, Submission
from services.context import Medic
from services.views import Accepted, AlertAccepted

Format = str  # a source's name in `core.alert_sources.SOURCES`, or "any": told by its shape


async def receive(medic: Medic, body: bytes, *, format: Format,
                  signature: str | None = None) -> Accepted:
    """Store every alert in a webhook's JSON body, or none; never blocks the event loop.

    Stored by the intake process when the API runs one (`services.processes.intake`), otherwise
    here, on a thread.
    """
    if medic.intake is not None:
        stored = await medic.intake.store(body, format=format, signature=signature)
    else:
        stored = await asyncio.to_thread(store_body, medic, body, format=format,
                                         signature=signature)
    return _accepted(medic, stored)


def store_body(medic: Medic, body: bytes, *, format: Format,
               signature: str | None = None) -> list[Ingested]:
    """Read, cap, parse and store a webhook's body here; return where each alert went."""
    return _store(medic, read_json(body), format=format, signature=signature)


def submit(medic: Medic, payload: object, *, format: Format = "any", actor: str | None = None,
           signature: str | None = None) -> Accepted:
    """Store every alert in the payload, or none; new incidents are owed an agent run."""
    return _accepted(medic, _store(medic, payload, format=format, actor=actor,
                                   signature=signature))


def submit_alerts(medic: Medic, alerts: list[Alert], *, actor: str | None = None,
                  signature: str | None = None) -> Accepted:
    """Store parsed alerts all or nothing; new incidents are owed an agent run."""
    return _accepted(medic, medic.ingest(Submission(alerts, actor=actor, signature=signature)))


def _store(medic: Medic, payload: object, *, format: Format, actor: str | None = None,
           signature: str | None = None) -> list[Ingested]:
    cap = medic.settings.max_alerts_per_payload
    if _count(payload) > cap:  # before parsing: a huge payload costs nothing more
        raise TooLarge(f"{_count(payload)} alerts in one payload; at most {cap} "
                       "(MEDIC_MAX_ALERTS_PER_PAYLOAD)")
    return medic.ingest(Submission(alert_sources.parse(payload, format), actor=actor,
                                   signature=signature))


def _accepted(medic: Medic, stored: list[Ingested]) -> Accepted:
    if any(i.needs_handling for i in stored):
        medic.on_work()
    for incident_id in dict.fromkeys(i.incident_id for i in stored if i.resolved_at_source):
        _tell_resolved(medic, incident_id)
    return Accepted(incidents=[AlertAccepted(incident_id=i.incident_id, new=i.created,
                                             fingerprint=i.fingerprint,
                                             silenced_by=i.silence_id) for i in stored])


def _count(payload: object) -> int:
    if isinstance(payload, dict) and isinstance(payload.get("alerts"), list):
        return len(payload["alerts"])
    return len(payload) if isinstance(payload, list) else 1


NEXT_STEP = {
    "awaiting_approval": "its approval is still pending and may no longer be needed: "
                         "look before approving",
    "remediating": "its approved plan is running; you will hear the outcome",
    "verifying": "the fix is still being measured on live labelled traffic; you will hear "
                 "the result",
    "open": "the agent is still working on it",
}


def _tell_resolved(medic: Medic, incident_id: int) -> None:
    """Tell people an incident they heard of stopped firing at its source, and what is left."""
    from core.incidents import get
    from core.notify import Notifier

    with medic.sessions() as session:
        incident = get(session, incident_id)
        state, title, severity = incident.state, incident.title, incident.severity_level
    step = NEXT_STEP.get(state, f"the incident was already {state}")
    Notifier.from_settings(medic.sessions, medic.settings, clock=medic.clock).send(
        f"Medic incident {incident_id}: resolved at source",
        f"The alert {title!r} stopped firing at its source. Incident {incident_id} is "
        f"{state.replace('_', ' ')}: {step}.", incident_id=incident_id, kind="outcome",
        severity=severity if severity in ("low", "medium", "high") else None)
