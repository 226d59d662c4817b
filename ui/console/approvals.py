"""The Approvals page: an inbox of cards, approve or reject with a comment, then watch."""

from html import escape

from ui.console import models
from ui.console.html import STYLE, args, badge, left, note, table, when


def card(approval: dict, view: dict | None) -> str:
    """Return one approval as a card: diagnosis and charts, exact actions, digest, expiry."""
    incident = (view or {}).get("incident", {})
    parts = [f'<div class="mc-card"><h3>Approval {approval["id"]} · incident '
             f'{approval["incident_id"]}: {escape(incident.get("title", ""))} '
             f'{badge(approval["status"])}</h3>',
             f"<p>Expires {escape(when(approval['expires_at']))} UTC "
             f"(<b>{escape(left(approval['expires_at']))}</b>) · severity "
             f"{escape(str(approval['context'].get('severity')))} "
             f"({escape(str(approval['context'].get('score')))})</p>"]
    if approval.get("required", 1) > 1:
        by = ", ".join(approval.get("approved_by") or []) or "nobody yet"
        parts.append(f"<p><b>Two-person rule:</b> {len(approval.get('approved_by') or [])} of "
                     f"{approval['required']} approvals ({escape(by)}).</p>")
    if approval.get("acknowledged_by"):
        parts.append(f"<p>{escape(approval['acknowledged_by'])} is looking.</p>")
    elif approval.get("asked"):
        parts.append(f"<p>Asked so far: {escape(', '.join(approval['asked']))}.</p>")
    if view and view.get("resolved_at_source"):
        parts.append(f'<p class="mc-warn">The alert resolved at its source at '
                     f'{escape(when(view["resolved_at_source"]))} UTC: the condition may no '
                     "longer hold. Check before approving.</p>")
    else:
        parts.append("<p>The alert is still firing (no resolution received).</p>")
    if approval["context"].get("kind") == "shadow_promotion":  # its diagnosis is this evidence
        parts.append(shadow(approval["context"]))
    else:
        diagnosis = approval["context"].get("diagnosis", [])
        parts.append("<b>Diagnosis</b><ul>"
                     + "".join(f"<li>{escape(d)}</li>" for d in diagnosis) + "</ul>")
    charts = (view or {}).get("charts", {})
    if charts.get("drift"):
        parts.append(f'<div>{charts["drift"]}<div class="mc-note">Drift per feature '
                     "(−log10 p of the KS test; red: drifted)</div></div>")
    if charts.get("performance"):
        parts.append(f'<div>{charts["performance"]}<div class="mc-note">F1 per version on '
                     "the labelled evidence</div></div>")
    parts.append("<b>Exactly what will run</b>")
    parts.append(table(["Action", "Arguments", "Risk"],
                       [[s["tool"], args(s.get("args")), s.get("risk", "")]
                        for s in approval["actions"]]))
    parts.append(f'<p>Digest <span class="mc-mono">{escape(approval["digest"])}</span></p>')
    reasons = approval["context"].get("reasons", [])
    if reasons:
        parts.append("<details><summary>Why the agent asks</summary><ul>"
                     + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul></details>")
    return "".join(parts) + "</div>"


def shadow(context: dict) -> str:
    """Return the shadow's evidence a promotion approval carries.

    Both models on the same labelled live rows, each one's metric with its interval, the
    paired improvement, agreement and each segment.
    """
    rollout = context.get("rollout") or {}
    return (f"<b>Evidence from the shadow</b> (v{escape(str(context.get('challenger')))} "
            f"beside champion v{escape(str(context.get('champion')))} since "
            f"{escape(when(rollout.get('started_at')))} UTC)"
            + models.evidence(context.get("evidence") or {}, context.get("decision")))


def inbox(cards: list[str]) -> str:
    """Return the inbox: every pending card, or a sentence when nothing waits."""
    return STYLE + ("".join(cards) if cards else note("Nothing waits for a decision."))


def progress(detail: dict) -> str:
    """Return an incident's progress after a decision: state, outcome, latest steps."""
    steps = detail["timeline"][-6:]
    return (STYLE + f"<h3>Incident {detail['id']}: {escape(detail['title'])} "
            f"{badge(detail['state'])}</h3>"
            f"<p>{escape(detail['outcome'] or 'the agent is working on it…')}</p>"
            + table(["At (UTC)", "Who", "What"],
                    [[when(e["at"]), e["actor"], e["event"]] for e in steps]))
