"""Collect the facts an incident report shows, as one plain dict."""

import logging
from datetime import UTC, datetime

from core import incidents
from core.plans import Finding
from core.tables import PrunedThread

log = logging.getLogger(__name__)


def collect(sessions, incident_id: int, *, checkpoints: str | None = None,
            now: datetime | None = None) -> dict:
    """Return the incident's report context; `checkpoints` adds the thread's measurements."""
    with sessions() as session:
        found = incidents.detail(session, incident_id)
        pruned = session.get(PrunedThread, incident_id)
    timeline = found.pop("timeline")
    if pruned is not None:  # the thread is gone; its findings were kept when it was pruned
        findings = Finding.all(pruned.findings)
    else:
        findings = thread_findings(checkpoints, incident_id) if checkpoints else []
    return {
        "generated_at": f"{now or datetime.now(UTC):%Y-%m-%d %H:%M:%S}",
        "incident": found,
        "alert": found.pop("alert") or {},
        "decision": {
            "decided_by": found["decided_by"] or "not decided",
            "severity_score": found["severity_score"], "severity_level": found["severity_level"],
            "note": found["decision_note"], "verdict": found["verdict"],
            "gate_reasons": _last(timeline, "gate_verdict").get("reasons", []),
            "checks": _last(timeline, "verified").get("checks", []),
            "reasons": next((a["context"].get("reasons", []) for a in found["approvals"]), []),
        },
        "measurements": measurements(findings),
        "audit": {
            "entries": timeline,
            "first": timeline[0] if timeline else None,
            "last": timeline[-1] if timeline else None,
        },
    }


def measurements(findings: list[Finding]) -> dict:
    """Return the numbers the read tools measured: drift per feature, F1 per version."""
    out: dict = {"drift": None, "performance": None}
    for finding in findings:
        data = finding.data
        if finding.status != "success":
            continue
        if finding.tool == "drift_report":
            out["drift"] = {"features": [{"feature": f["feature"], "p_value": f["p_value"],
                                          "drifted": f["drifted"]} for f in data["features"]],
                            "share": data["drift_share"], "current_rows": data["current_rows"],
                            "reference_rows": data["reference_rows"]}
        elif finding.tool == "performance_summary":
            out["performance"] = {alias: {"version": s["version"], "f1": s["f1"],
                                          "accuracy": s.get("accuracy")}
                                  for alias, s in data.items()}
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


def _last(timeline: list[dict], event: str) -> dict:
    return next((e["data"] for e in reversed(timeline) if e["event"] == event), {})
