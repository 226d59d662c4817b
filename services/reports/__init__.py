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


def incident_view(medic, incident_id: int) -> dict:
    """Return an incident's report context with its charts as SVG, for the console's cards."""
    from agent_graph.checkpoint import checkpoint_url
    from services.reports import incident, render

    context = incident.collect(medic.sessions, incident_id,
                               checkpoints=checkpoint_url(medic.settings), now=medic.clock())
    resolved = [e for e in context["audit"]["entries"]
                if e["event"] == "alert_resolved_at_source"]
    return {**context, "charts": {k: str(v) if v else None
                                  for k, v in render.incident_charts(context).items()},
            "resolved_at_source": resolved[-1]["at"] if resolved else None}


def closed_incident_attachment(medic):
    """Return an email `attach` hook: a closing incident's message carries its PDF report."""
    def attach(message) -> tuple[str, bytes] | None:
        if message.incident_id is None or message.kind not in ("outcome", "escalation"):
            return None
        return f"medic-incident-{message.incident_id}.pdf", incident_pdf(medic,
                                                                          message.incident_id)

    return attach
