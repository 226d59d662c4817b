"""The Overview page: every model's state, then the picked model's own, silences, on-call.

The picked model's own: champion, traffic, open incidents, approvals waiting, monitors.
"""

from html import escape

from ui.console.html import STYLE, badge, left, note, table, when


def render(view: dict) -> str:
    """Return the overview as HTML."""
    model, traffic = view["model"], view["traffic"]
    metric, score = _held_out(model["metrics"])
    stats = [("champion", f"v{model['champion']}" if model["champion"] else "none"),
             (f"held-out {metric}", f"{score:.3f}" if score is not None else "—"),
             ("predictions, 1 h", traffic["last_hour"]), ("predictions, 24 h", traffic["last_day"]),
             ("open incidents", view["open_incidents"]["count"]),
             ("approvals waiting", len(view["pending"]))]
    parts = [STYLE, _models(view.get("models", [])), '<div class="mc-stats">'
             + "".join(f'<div class="mc-stat"><b>{escape(str(v))}</b>{escape(k)}</div>'
                       for k, v in stats) + "</div>",
             f"<p>Model <b>{escape(model['name'])}</b>, champion since "
             f"{escape(when(model['since']))} UTC.</p>"]
    duty = view["oncall"]
    parts.append(f"<p>On call now: <b>{escape(duty['now'])}</b>"
                 + (f" (next: {escape(duty['next'])})" if duty["next"] else "") + ".</p>"
                 if duty["now"] else "<p>Nobody is on call (no rotation in "
                 "<code>configs/oncall.yaml</code>).</p>")
    parts.append("<h3>Approvals waiting</h3>")
    parts.append(table(["Approval", "Incident", "Actions", "Expires", "Looking / asked"],
                       [[p["id"], p["incident_id"], ", ".join(p["actions"]),
                         f"{when(p['expires_at'])} ({left(p['expires_at'])})",
                         f"{p['acknowledged_by']} is looking" if p["acknowledged_by"]
                         else ", ".join(p["asked"]) or "—"]
                        for p in view["pending"]])
                 if view["pending"] else note("Nothing waits for a decision."))
    parts.append("<h3>Open incidents</h3>")
    parts.append(table(["#", "Title", "Type", "Severity", "State", "Last seen"],
                       [[i["id"], i["title"], i["type"], i["severity_level"] or "—",
                         badge(i["state"]), when(i["last_seen"])]
                        for i in view["open_incidents"]["newest"]], raw={4})
                 if view["open_incidents"]["newest"] else note("No open incident."))
    parts.append("<h3>Monitors</h3>")
    parts.append(note("No monitor has checked yet.") if not view["monitors"] else
                 table(["Monitor", "State", "Value", "Rows", "Incident", "Checked"],
                       [[m["name"], badge(_state(m)), _value(m), m["rows"], _incident(m),
                         when(m["checked_at"])] for m in view["monitors"]], raw={1}))
    parts.append("<h3>Active silences</h3>")
    parts.append(table(["Silence", "Matchers", "Reason", "By", "Until", "Held"],
                       [[s["id"], ", ".join(f"{k}={v}" for k, v in s["matchers"].items()),
                         s["comment"], s["created_by"], when(s["ends_at"]), s["held"]]
                        for s in view["silences"]])
                 if view["silences"] else note("No alert is silenced."))
    return "".join(parts)


def _models(states: list[dict]) -> str:
    """Return every model's line: task, champion, its monitors' worst state, open incidents."""
    if not states:
        return ""
    return "<h3>Models</h3>" + table(
        ["Model", "Task", "Champion", "Monitors", "Open incidents"],
        [[s["name"] + (" (default)" if s["default"] else ""), s["task"].replace("_", " "),
          f"v{s['champion']}" if s["champion"] else "none",
          badge(s["worst"]), s["open_incidents"]] for s in states], raw={3})


def _held_out(metrics: dict) -> tuple[str, float | None]:
    """Return the champion's held-out headline metric: F1 for a classifier, MAE otherwise."""
    for name, shown in (("test_f1", "F1"), ("test_mae", "MAE")):
        if name in metrics:
            return shown, metrics[name]
    return "F1", None


def _value(monitor: dict) -> str:
    if monitor["value"] is None:
        return "—"
    return f"{monitor['value_name']} {monitor['value']:.3g}"


def _state(monitor: dict) -> str:
    """Show a breach as red only while the monitor has fired; before that it is pending."""
    if monitor["state"] in ("warning", "critical") and not monitor.get("firing"):
        return "pending"
    return monitor["state"]


def _incident(monitor: dict) -> str:
    if not monitor.get("incident"):
        return "—"
    return f"#{monitor['incident']} {monitor['incident_state']}"
