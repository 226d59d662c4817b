"""Phrase read-tool results as plain sentences for the intent-matching chat.

Every answer comes from the database and the registry as they are now: open incidents,
each monitor's last check, pending approvals, the champion's live metric (the model's own:
F1, MAE, ...) against its value at training, an incident's own record and the alias history.
"""

from collections.abc import Callable

from agent_graph.chat.intents import Intent
from core.incidents import CORRELATING_STATES
from tools import ToolResult

Lookup = Callable[..., ToolResult]
BAD = ("warning", "critical")
DRIFT_KINDS = ("data_drift", "prediction_drift")
QUESTIONS = ("what is wrong now", "is the model ok", "how is drift today",
             "why did you retrain (or roll back, or incident N)",
             "when did version N become champion (since when)", "which model is in production",
             "what is waiting for approval", "what happened with incident N",
             "why was version N rolled back", "what happened today",
             "is the audit log intact")
DONE = {"retrain": "retrained", "rollback": "rolled back", "promote": "promoted a version",
        "reload_model": "reloaded the model", "notify": "notified anyone",
        "escalate": "escalated"}
HOW_TO = {
    "approve": "approve it in the console (Approvals) or with `medic approvals approve {n} "
               "--key …` (approver role)",
    "reject": "reject it in the console (Approvals) or with `medic approvals reject {n} "
              "--key …` (approver role)",
    "rollback": "approve a pending rollback (`medic approvals list`, then `medic approvals "
                "approve ID`), or roll back yourself with `medic models rollback --expected "
                "CHAMPION --key …`",
    "retrain": "approve a pending retrain (`medic approvals list`, then `medic approvals "
               "approve ID`), or run `medic train` (the promotion gate decides)",
    "promote": "run `medic models promote VERSION --expected CHAMPION --key …` (admin)",
    "reload": "approve a pending reload (`medic approvals approve ID`); serving processes "
              "follow the champion alias by themselves",
    "silence": "add a silence with `medic silence add …` or in the console",
    "fix": "approve the plan waiting for you (`medic approvals list`, then `medic approvals "
           "approve ID`, or the console's Approvals page)",
}


def phrase(intent: Intent, lookup: Lookup) -> tuple[str, object]:
    """Return the sentence and the data it came from."""
    if intent.name == "act":
        return _refuse(intent, lookup)
    if intent.name == "pending_approvals":
        rows = lookup("pending_approvals").data.get("approvals", [])
        return _pending(rows) or "No approvals are pending.", rows
    if intent.name == "version_history":
        return _history(str(intent.number), lookup)
    if intent.name == "incident":
        return _incident(intent.number, lookup)
    if intent.name == "why":
        return _why(intent, lookup)
    if intent.name == "since":
        return _since(intent.number, lookup)
    if intent.name == "registry_status":
        return _registry(lookup)
    if intent.name == "recent_incidents":
        return _recent_text(lookup)
    if intent.name == "audit":
        checked = lookup("audit_verify")
        return checked.message[:1].upper() + checked.message[1:] + ".", checked.data
    status = lookup("status_now").data
    if intent.name == "drift":
        return _drift(status, lookup)
    if intent.name == "model_health":
        return _health(status), status
    if intent.name == "status":
        return _wrong(status), status
    return (_wrong(status) + " I can answer: " + "; ".join(QUESTIONS) + "."), status


def _refuse(intent: Intent, lookup: Lookup) -> tuple[str, object]:
    """Chat reads only: say so, and how the asked-for act is done."""
    how = HOW_TO[intent.act or "fix"].format(n=intent.number or "ID")
    text = f"I only read; chat never acts, so I did not {_verb(intent.act)}. To do it: {how}."
    rows = lookup("pending_approvals").data.get("approvals", [])
    if rows:
        text += " " + _pending(rows)
    return text, rows


def _verb(act: str | None) -> str:
    return {"rollback": "roll back", "reload": "reload the model", "fix": "change anything",
            None: "change anything"}.get(act, act)


def _pending(rows: list[dict]) -> str:
    if not rows:
        return ""
    items = "; ".join(f"#{a['id']} for incident {a['incident_id']}: "
                      + ", ".join(x["tool"] for x in a["actions"])
                      + f" (expires {(a['expires_at'] or '')[:16]})" for a in rows)
    return f"{len(rows)} approval(s) pending: {items}."


def _wrong(status: dict) -> str:
    """Summarise what needs a person: open incidents, red monitors, approvals, live metric."""
    parts = [_model_line(status)]
    red = [m for m in status["monitors"] if m["state"] in BAD]
    if red:
        parts.append("Monitors not ok: " + "; ".join(_monitor(m) for m in red) + ".")
    opened = status["open_incidents"]
    if opened:
        parts.append(f"{len(opened)} open incident(s): " + "; ".join(
            f"#{i['id']} {i['title']} ({i['type']}, {i['state']}"
            + (f", from monitors {', '.join(i['monitors'])}" if i["monitors"] else "") + ")"
            for i in opened) + ".")
    if status["pending"]:
        parts.append(_pending(status["pending"]))
    if not (red or opened or status["pending"]):
        checked = [m for m in status["monitors"] if m["state"] != "insufficient_data"]
        parts.insert(0, "Nothing is wrong now: no open incident, no approval pending, "
                        + (f"all {len(checked)} monitors with data ok."
                           if checked else "and no monitor has had enough data to judge yet."))
    return " ".join(p for p in parts if p)


def _model_line(status: dict) -> str:
    champion = status["champion"]
    if champion is None:
        return (f"No version of {status['model']} is in production yet: run `medic train"
                + ("`." if status.get("default", True) else f" --model {status['model']}`."))
    text = f"{status['model']} v{champion['version']} serves"
    if champion["since"]:
        text += f" since {champion['since'][:16].replace('T', ' ')} UTC"
    return text + "; " + _live_line(status) + "."


def _live_line(status: dict) -> str:
    live, baseline = status["live"], status["champion"]["baseline"]
    name = (live["metric"] if live else status.get("metric", "f1")).upper()
    at_training = f"{baseline:.3f} at training" if baseline is not None else \
        f"no {name} at training"
    if live is None:
        return f"no live {name} yet (no performance check has run; {at_training})"
    if live["value"] is None:
        return (f"no live {name} yet: {live['labelled']} labelled prediction(s) of this "
                f"version, {live['min_rows']} needed ({at_training})")
    return (f"live {name} {live['value']:.3f} on {live['labelled']} labelled predictions since "
            f"it became champion vs {at_training} (performance monitor {live['state']})")


def _monitor(m: dict) -> str:
    value = f"{m['value']:.3f}" if isinstance(m["value"], int | float) else "n/a"
    text = f"{m['name']} {m['state']} ({m['value_name']} {value}, {m['rows']} rows"
    text += f", incident {m['incident']})" if m["incident"] else ", no open incident)"
    return text


def _health(status: dict) -> str:
    """Say whether the served model is ok by its live metric and monitors, not the hold-out."""
    if status["champion"] is None:
        return _model_line(status)
    red = [m for m in status["monitors"] if m["state"] in BAD]
    live = status["live"]
    if red:
        verdict = "No."
    elif live is not None and live["value"] is not None:
        verdict = "Yes."
    else:
        verdict = "I cannot tell yet."
    text = f"{verdict} {_model_line(status)}"
    if red:
        text += " Monitors not ok: " + "; ".join(_monitor(m) for m in red) + "."
    elif status["monitors"]:
        text += " No monitor is in warning or critical."
    return text


def _drift(status: dict, lookup: Lookup) -> tuple[str, object]:
    """Say what the drift monitors found last, then the drift incidents of the day."""
    found = [m for m in status["monitors"] if m["kind"] in DRIFT_KINDS]
    parts = []
    for m in found:
        if m["state"] == "insufficient_data":
            parts.append(f"{m['name']}: not enough data at the last check ({m['rows']} rows)")
            continue
        parts.append(f"{m['name']} is {m['state']}: {m['value_name']} {m['value']:.3f} "
                     f"(warning {m['warning']:g}, critical {m['critical']:g}) on "
                     f"{m['rows']} rows at {m['checked_at'][11:16]} UTC"
                     + (f", incident {m['incident']} open" if m["incident"] else ""))
    text = ("; ".join(parts) + "." if parts else "No drift monitor has checked yet.")
    rows = [i for i in _recent(lookup) if i["type"] == "drift"]
    if rows:
        worst = max(rows, key=lambda i: i["severity_score"] or 0)
        text += (f" {len(rows)} drift incident(s) in the last 24 hours; the worst, "
                 f"#{worst['id']} ({worst['title']}), scored {worst['severity_score']} "
                 f"({worst['severity_level']}) and is {worst['state']}.")
    else:
        text += " No drift alerts in the last 24 hours."
    return text, {"monitors": found, "incidents": rows}


def _why(intent: Intent, lookup: Lookup) -> tuple[str, object]:
    """Answer from the incident's record: findings, decision, approvals, gate, outcome."""
    args = {"incident_id": intent.number} if intent.number else {}
    if intent.act:
        args["action"] = intent.act
    found = lookup("incident_reasons", args)
    if found.status != "success":
        if intent.number:  # the incident asked about does not exist
            return found.message + ".", None
        return f"I have not {DONE.get(intent.act, 'acted')}: {found.message}.", None
    i = found.data
    plan = ", ".join(s["tool"] for s in i["plan"]) or "no action"
    text = (f"Incident {i['id']} ({i['title']}, {i['type']}): severity {i['severity_score']} "
            f"({i['severity_level']}) decided by {i['decided_by']}, plan {plan}.")
    if i["decision_note"]:
        text += f" Why: {i['decision_note'].rstrip('.')}."
    findings = [f"{f['tool']}: {f['message']}" for f in i["diagnosis"] or [] if f.get("message")]
    if findings:
        text += " Findings: " + "; ".join(findings) + "."
    for a in i["approvals"]:
        if a["decided_by"]:
            text += f" Approval {a['id']} {a['status']} by {a['decided_by']}."
    for a in i["actions"]:
        text += f" {a['tool']}: {a['status']}" + (f" ({a['message']})" if a["message"] else "")
        text += "." + (f"\nGate:\n{a['gate_table']}\n" if a["gate_table"] else "")
    text += f" Outcome: {i['outcome'] or 'still ' + i['state']}."
    return text.replace("\n ", "\n"), i


def _since(version: int | None, lookup: Lookup) -> tuple[str, object]:
    """Say when a version (the champion by default) became champion, from the alias history."""
    if version is None:
        status = lookup("status_now").data
        champion = status["champion"]
        if champion is None:
            return "No version is champion yet.", status
        if champion["since"] is None:  # the alias moved outside Medic: no history of it
            text = f"Version {champion['version']} is champion; no alias change records since when."
        else:
            text = (f"Version {champion['version']} has been champion since "
                    f"{champion['since'][:16].replace('T', ' ')} UTC ({champion['by']}: "
                    f"{champion['reason']}).")
        if status["open_incidents"]:
            oldest = status["open_incidents"][0]
            text += (f" The oldest open incident, #{oldest['id']} ({oldest['title']}), was "
                     f"first seen at {oldest['first_seen'][:16].replace('T', ' ')} UTC.")
        return text, status
    rows = lookup("version_history", {"version": str(version)}).data.get("history", [])
    became = [h for h in rows if h["alias"] == "champion" and h["version"] == str(version)]
    if not became:
        return f"Version {version} has never been champion.", rows
    last = became[-1]
    text = (f"Version {version} became champion at {last['at'][:16].replace('T', ' ')} UTC "
            f"({last['action']} by {last['actor']}: {last['reason']}"
            + (f"; it replaced version {last['replaced']}" if last["replaced"] else "") + ").")
    left = [h for h in rows if h["alias"] == "champion" and h["replaced"] == str(version)
            and h["at"] > last["at"]]
    if left:
        text += (f" It stopped being champion at {left[-1]['at'][:16].replace('T', ' ')} UTC "
                 f"(version {left[-1]['version']} replaced it).")
    return text, rows


def _incident(number: int | None, lookup: Lookup) -> tuple[str, object]:
    found = lookup("incident_lookup", {"incident_id": number})
    if found.status != "success":
        return found.message + ".", None
    found = found.data
    plan = ", ".join(s["tool"] for s in found["plan"]) or "no actions"
    return (f"Incident {found['id']} ({found['type']}, {found['title']}) is {found['state']}: "
            f"severity {found['severity_score']} ({found['severity_level']}) decided by "
            f"{found['decided_by']}; plan: {plan}; outcome: {found['outcome'] or 'open'}."
            ), found


def _recent(lookup: Lookup) -> list[dict]:
    return lookup("recent_incidents", {"hours": 24}).data.get("incidents", [])


def _recent_text(lookup: Lookup) -> tuple[str, object]:
    rows = _recent(lookup)
    open_rows = [i for i in rows if i["state"] in CORRELATING_STATES]  # open or verifying
    return (f"{len(rows)} incident(s) in the last 24 hours, {len(open_rows)} still open."
            + "".join(f" #{i['id']} {i['title']}: {i['state']}." for i in rows[:5])), rows


def _history(version: str, lookup: Lookup) -> tuple[str, object]:
    rows = lookup("version_history", {"version": version}).data.get("history", [])
    rollbacks = [h for h in rows if h["action"] == "rollback" and h["replaced"] == version]
    if rollbacks:
        last = rollbacks[-1]
        return (f"Version {version} was rolled back to version {last['version']} by "
                f"{last['actor']} at {last['at'][:16]}: {last['reason']}."), rows
    if rows:
        return f"Version {version} was never rolled back; its alias history: " + "; ".join(
            f"{h['action']} {h['alias']} at {h['at'][:16]} ({h['reason']})" for h in rows
        ) + ".", rows
    return f"I find no alias change involving version {version}.", rows


def _registry(lookup: Lookup) -> tuple[str, object]:
    status = lookup("registry_lookup").data
    champion = status.get("champion")
    if champion is None:
        return "No model is in production yet: run `medic train`.", status
    metric = status.get("metric", "f1")
    held_out = champion["metrics"].get(f"test_{metric}")
    score = f"{held_out:.3f}" if held_out is not None else "not recorded"
    text = (f"Version {champion['version']} ({champion['model_type']}) is the champion of "
            f"{status.get('model', 'the model')} in production, held-out {metric.upper()} "
            f"{score} at training.")
    if status.get("previous"):
        text += f" The previous champion is version {status['previous']['version']}."
    return text, status
