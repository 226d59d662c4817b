"""Find the incident each monitor's alerts went to, so a red monitor names its incident."""

from sqlalchemy import func, select

from core.alerts import from_medic
from core.incidents import TERMINAL_STATES
from core.tables import AlertRecord, Incident
from ml.monitoring.results import MonitorResult


def alert(checked: MonitorResult, model: str, status: str = "firing") -> dict:
    """Return the alert payload a monitor's check sends (the labels make its fingerprint)."""
    payload = checked.to_alert(status)
    payload["source"] = "monitor"
    payload["labels"]["model"] = model
    return payload


def fingerprint(checked: MonitorResult, model: str) -> str:
    """Return the fingerprint of the monitor's alerts, the same for firing and resolved."""
    return from_medic(alert(checked, model))[0].fingerprint


def newest(sessions, results: list[MonitorResult], model: str) -> dict[str, dict]:
    """Return {monitor name: {id, state, open}} of the newest incident each monitor alerted.

    The incident is found through the stored alerts, so it is found however the incident
    was keyed (its own fingerprint, or another alert's it joined). Monitors that never
    alerted are left out. `open` is false once the incident reached a terminal state.
    """
    by_print = {fingerprint(r, model): r.name for r in results}
    if not by_print:
        return {}
    latest = (select(AlertRecord.fingerprint, func.max(AlertRecord.incident_id).label("id"))
              .where(AlertRecord.fingerprint.in_(by_print)).group_by(AlertRecord.fingerprint)
              .subquery())
    with sessions() as session:
        rows = session.execute(select(latest.c.fingerprint, Incident.id, Incident.state)
                               .join(Incident, Incident.id == latest.c.id)).all()
    return {by_print[row.fingerprint]: {"id": row.id, "state": row.state,
                                        "open": row.state not in TERMINAL_STATES}
            for row in rows}
