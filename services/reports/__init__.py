"""Incident and model-health reports: collect the facts, render HTML, print a capped PDF."""

from datetime import datetime


def incident_pdf(sessions, incident_id: int, *, checkpoints: str | None = None) -> bytes:
    """Return incident `incident_id`'s report as PDF (`checkpoints` adds its measurements)."""
    from services.reports import incident, render

    return render.incident_pdf(incident.collect(sessions, incident_id, checkpoints=checkpoints))


def health_pdf(sessions, *, since: datetime, until: datetime | None = None) -> bytes:
    """Return the model-health report for a period as PDF."""
    from services.reports import health, render

    return render.health_pdf(health.collect(sessions, since=since, until=until))
