"""Submit alerts from any source: parse, cap, store all or nothing, wake the agent."""

from typing import Literal

from core.alerts import Alert, from_alertmanager, from_medic, parse
from core.errors import TooLarge
from core.ingest import Submission
from services.context import Medic
from services.views import Accepted, AlertAccepted

Format = Literal["medic", "alertmanager", "any"]
PARSERS = {"medic": from_medic, "alertmanager": from_alertmanager, "any": parse}


def submit(medic: Medic, payload: object, *, format: Format = "any", actor: str | None = None,
           signature: str | None = None) -> Accepted:
    """Store every alert in the payload, or none; new incidents are owed an agent run."""
    cap = medic.settings.max_alerts_per_payload
    if _count(payload) > cap:  # before parsing: a huge payload costs nothing more
        raise TooLarge(f"{_count(payload)} alerts in one payload; at most {cap} "
                       "(MEDIC_MAX_ALERTS_PER_PAYLOAD)")
    return submit_alerts(medic, PARSERS[format](payload), actor=actor, signature=signature)


def submit_alerts(medic: Medic, alerts: list[Alert], *, actor: str | None = None,
                  signature: str | None = None) -> Accepted:
    """Store parsed alerts all or nothing; new incidents are owed an agent run."""
    stored = medic.ingest(Submission(alerts, actor=actor, signature=signature))
    if any(i.needs_handling for i in stored):
        medic.on_work()
    return Accepted(incidents=[AlertAccepted(incident_id=i.incident_id, new=i.created,
                                             fingerprint=i.fingerprint,
                                             silenced_by=i.silence_id) for i in stored])


def _count(payload: object) -> int:
    if isinstance(payload, dict) and isinstance(payload.get("alerts"), list):
        return len(payload["alerts"])
    return len(payload) if isinstance(payload, list) else 1
