"""The Incidents page: a filtered list, and one incident's story with a link to its report."""

from html import escape

from ui.console.html import STYLE, args, badge, note, position, table, when

STATES = ["all", "open", "awaiting_approval", "remediating", "verifying", "resolved", "closed",
          "rejected", "expired", "escalated", "failed", "recommended", "superseded"]


def listing(page: dict) -> str:
    """Return one page of the list as a table, newest first, and where the page sits."""
    incidents = page["incidents"]
    if not incidents:
        return STYLE + note("No incident matches.")
    return STYLE + position(page, "incidents") + table(
        ["#", "State", "Title", "Type", "Severity", "Decided by", "Alerts", "Last seen"],
        [[i["id"], badge(i["state"]), escape(i["title"]), escape(i["type"]),
          escape(i["severity_level"] or "—"), escape(i["decided_by"] or "—"), i["alerts"],
          when(i["last_seen"])] for i in incidents], raw={1, 2, 3, 4, 5})


def story(detail: dict) -> str:
    """Return an incident's timeline, decision, who decided, actions and outcome."""
    parts = [STYLE, f"<h3>Incident {detail['id']}: {escape(detail['title'])} "
             f"{badge(detail['state'])}</h3>",
             f'<p><a href="reports/incidents/{detail["id"]}.pdf" target="_blank" '
             'rel="noopener">Download the report (PDF)</a></p>',
             f"<p><b>Outcome:</b> {escape(detail['outcome'] or 'still open')}</p>",
             f"<p><b>Decision:</b> by {escape(detail['decided_by'] or 'nobody yet')}, severity "
             f"{escape(str(detail['severity_score']))} ({escape(str(detail['severity_level']))}),"
             f" verdict {escape(str(detail['verdict']))}. {escape(detail['decision_note'])}</p>"]
    for a in detail["approvals"]:
        who = (f"{a['status']} by {a['decided_by']} at {when(a['decided_at'])} UTC"
               if a["decided_by"] else a["status"])
        parts.append(f"<p><b>Approval {a['id']}:</b> {escape(who)}"
                     + (f" — “{escape(a['comment'])}”" if a["comment"] else "") + "</p>")
    if detail.get("rollout"):
        parts.append("<b>Rollout</b>")
        parts.append(table(["Stage", "At (UTC)", "Who", "What"],
                           [[r["stage"], when(r["at"]), r["actor"], r["detail"]]
                            for r in detail["rollout"]]))
    if len(detail.get("alert_list") or []) > 1:
        parts.append("<b>Alerts (one cause)</b>")
        parts.append(table(["Alert", "Monitor", "Status", "Received", "Last (UTC)"],
                           [[a["name"], a["monitor"] or "—", a["status"], a["received"],
                             when(a["last_received"])] for a in detail["alert_list"]]))
    parts.append("<b>Actions</b>")
    parts.append(table(["Action", "Arguments", "Status", "Result", "Helped"],
                       [[x["tool"], args(x["args"]), x["status"],
                         x["result"].get("message", ""),
                         {True: "yes", False: "no"}.get(x["effective"], "not measured")]
                        for x in detail["actions"]]) if detail["actions"]
                 else note("No action ran."))
    parts.append("<b>Timeline</b>")
    parts.append(table(["At (UTC)", "Who", "What", "Hash"],
                       [[when(e["at"]), e["actor"], e["event"], e["hash"][:12]]
                        for e in detail["timeline"]]))
    return "".join(parts)
