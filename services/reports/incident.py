"""Collect the facts an incident report shows, as one typed `IncidentReport`."""

import logging
from datetime import UTC, datetime

from core import incidents
from core.plans import Finding
from core.tables import PrunedThread
from core.views import AuditEntryView
from services.views import (
    AuditExcerpt,
    DriftMeasured,
    FeatureDrift,
    IncidentReport,
    Measurements,
    ReportDecision,
    VersionScore,
)

log = logging.getLogger(__name__)


def collect(sessions, incident_id: int, *, checkpoints: str | None = None,
            now: datetime | None = None) -> IncidentReport:
    """Return the incident's report; `checkpoints` adds the thread's measurements."""
    with sessions() as session:
        found = incidents.detail(session, incident_id)
        pruned = session.get(PrunedThread, incident_id)
    if pruned is not None:  # the thread is gone; its findings were kept when it was pruned
        findings = Finding.all(pruned.findings)
    else:
        findings = thread_findings(checkpoints, incident_id) if checkpoints else []
    timeline = found.timeline
    return IncidentReport(
        generated_at=f"{now or datetime.now(UTC):%Y-%m-%d %H:%M:%S}",
        incident=found,
        alert=found.alert,
        decision=ReportDecision(
            decided_by=found.decided_by or "not decided",
            severity_score=found.severity_score, severity_level=found.severity_level,
            note=found.decision_note, verdict=found.verdict,
            gate_reasons=_last(timeline, "gate_verdict").get("reasons", []),
            checks=_last(timeline, "verified").get("checks", []),
            reasons=next((a.context.get("reasons", []) for a in found.approvals), [])),
        measurements=measurements(findings),
        audit=AuditExcerpt(entries=timeline, first=timeline[0] if timeline else None,
                           last=timeline[-1] if timeline else None),
    )


def measurements(findings: list[Finding]) -> Measurements:
    """Return the numbers the read tools measured: drift per feature, scores per version."""
    out = Measurements()
    for finding in findings:
        data = finding.data
        if finding.status != "success":
            continue
        if finding.tool == "drift_report":
            out.drift = DriftMeasured(
                features=[FeatureDrift(feature=f["feature"], p_value=f["p_value"],
                                       drifted=f["drifted"]) for f in data["features"]],
                share=data["drift_share"], current_rows=data["current_rows"],
                reference_rows=data["reference_rows"])
        elif finding.tool == "performance_summary":
            metric = data.get("metric", "f1")
            out.performance = {alias: VersionScore(
                version=str(s["version"]), f1=s.get("f1"), accuracy=s.get("accuracy"),
                metric=metric, value=s.get(metric))
                for alias, s in data.items() if alias in ("champion", "previous")}
    return out


def thread_findings(checkpoints: str, incident_id: int) -> list[Finding]:
    """Return the findings the agent's thread checkpointed (empty if it never ran)."""
    from agent_graph.runtime.checkpoint import open_checkpointer
    from agent_graph.runtime.checkpoint import thread_findings as found_in

    with open_checkpointer(checkpoints) as saver:
        found = found_in(saver, incident_id)
    if found is None:
        log.info("incident %s has no checkpointed thread", incident_id)
        return []
    return found


def _last(timeline: list[AuditEntryView], event: str) -> dict:
    return next((e.data for e in reversed(timeline) if e.event == event), {})
