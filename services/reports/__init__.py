"""Incident and model-health reports: collect the facts, render HTML, print a capped PDF."""

from datetime import datetime


def incident_pdf(medic, incident_id: int) -> bytes:
    """Return incident `incident_id`'s report as PDF, with its thread's measurements."""
    from agent_graph.checkpoint import checkpoint_url
    from services.reports import incident, render

    return render.incident_pdf(incident.collect(
        medic.sessions, incident_id, checkpoints=checkpoint_url(medic.settings),
        now=medic.clock()))


def health_pdf(medic, *, since: datetime, until: datetime | None = None) -> bytes:
    """Return the model-health report for a period as PDF."""
    from services.reports import health, render

    return render.health_pdf(health.collect(medic.sessions, since=since,
                                            until=until or medic.clock()))
