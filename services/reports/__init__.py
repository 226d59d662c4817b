"""Incident and model-health reports: collect the facts, render HTML, print a capped PDF."""

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.views import IncidentReport


def incident_pdf(medic, incident_id: int) -> bytes:
    """Return incident `incident_id`'s report as PDF, with its thread's measurements.

    At most MEDIC_REPORT_RENDERERS render at once in this process (RateLimited beyond the
    queue); a closed incident's report is rendered once and kept until the incident changes.
    """
    from agent_graph.runtime.checkpoint import checkpoint_url
    from services.reports import cache, incident, render
    from services.reports.gate import gate_for

    gate, folder = gate_for(medic.settings), medic.settings.home / "cache" / "reports"
    kept_as = cache.key(medic.sessions, incident_id)
    if (kept := _kept(gate, folder, kept_as)) is not None:
        return kept
    with gate.slot():
        if (kept := _kept(gate, folder, kept_as)) is not None:  # rendered while this waited
            return kept
        pdf = render.incident_pdf(incident.collect(
            medic.sessions, incident_id, checkpoints=checkpoint_url(medic.settings),
            now=medic.clock()))
    if kept_as:
        cache.write(folder, kept_as, pdf)
    gate.count("rendered")
    return pdf


def _kept(gate, folder, kept_as: str | None) -> bytes | None:
    """Return the kept report under `kept_as` (counted as cached), or None."""
    from services.reports import cache

    kept = cache.read(folder, kept_as) if kept_as else None
    if kept is not None:
        gate.count("cached")
    return kept


def health_pdf(medic, *, since: datetime, until: datetime | None = None) -> bytes:
    """Return the model-health report for a period as PDF (renderers capped as above)."""
    from services.reports import health, render
    from services.reports.gate import gate_for

    gate = gate_for(medic.settings)
    with gate.slot():
        pdf = render.health_pdf(health.collect(medic.sessions, since=since,
                                               until=until or medic.clock()))
    gate.count("rendered")
    return pdf


def incident_view(medic, incident_id: int) -> "IncidentReport":
    """Return an incident's report with its charts as SVG, for the console's cards."""
    from agent_graph.runtime.checkpoint import checkpoint_url
    from services.reports import incident, render

    report = incident.collect(medic.sessions, incident_id,
                              checkpoints=checkpoint_url(medic.settings), now=medic.clock())
    resolved = [e for e in report.audit.entries if e.event == "alert_resolved_at_source"]
    return report.model_copy(update={
        "charts": {k: str(v) if v else None for k, v in render.incident_charts(report).items()},
        "resolved_at_source": resolved[-1].at if resolved else None})


def closed_incident_attachment(medic):
    """Return an email `attach` hook: a closing incident's message carries its PDF report."""
    def attach(message) -> tuple[str, bytes] | None:
        if message.incident_id is None or message.kind not in ("outcome", "escalation"):
            return None
        return f"medic-incident-{message.incident_id}.pdf", incident_pdf(medic,
                                                                          message.incident_id)

    return attach
