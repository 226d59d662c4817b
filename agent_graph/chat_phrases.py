"""Phrase read-tool results as plain sentences for the intent-matching chat."""

from collections.abc import Callable

from tools import ToolResult

Lookup = Callable[..., ToolResult]


def phrase(intent: str, match, lookup: Lookup) -> tuple[str, object]:
    """Return the sentence and the data it came from."""
    if intent == "pending_approvals":
        rows = lookup("pending_approvals").data.get("approvals", [])
        if not rows:
            return "No approvals are pending.", rows
        items = "; ".join(f"#{a['id']} for incident {a['incident_id']}: "
                          + ", ".join(x["tool"] for x in a["actions"])
                          + f" (expires {a['expires_at'][:16]})" for a in rows)
        return f"{len(rows)} approval(s) pending: {items}.", rows
    if intent == "version_history":
        return _history(match.group(2), lookup)
    if intent == "incident":
        found = lookup("incident_lookup", {"incident_id": int(match.group(1))})
        if found.status != "success":
            return found.message + ".", None
        found = found.data
        plan = ", ".join(s["tool"] for s in found["plan"]) or "no actions"
        return (f"Incident {found['id']} ({found['type']}, {found['title']}) is {found['state']}: "
                f"severity {found['severity_score']} ({found['severity_level']}) decided by "
                f"{found['decided_by']}; plan: {plan}; outcome: {found['outcome'] or 'open'}."
                ), found
    if intent == "drift":
        rows = [i for i in _recent(lookup) if i["type"] == "drift"]
        if not rows:
            return "No drift alerts in the last 24 hours.", rows
        worst = max(rows, key=lambda i: i["severity_score"] or 0)
        return (f"{len(rows)} drift incident(s) in the last 24 hours; the worst, #{worst['id']} "
                f"({worst['title']}), scored {worst['severity_score']} "
                f"({worst['severity_level']}) and is {worst['state']}."), rows
    if intent == "registry_status":
        return _registry(lookup)
    rows = _recent(lookup)
    open_rows = [i for i in rows if i["state"] in ("open", "awaiting_approval")]
    return (f"{len(rows)} incident(s) in the last 24 hours, {len(open_rows)} still open."
            + "".join(f" #{i['id']} {i['title']}: {i['state']}." for i in rows[:5])), rows


def _recent(lookup: Lookup) -> list[dict]:
    return lookup("recent_incidents", {"hours": 24}).data.get("incidents", [])


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
    f1 = champion["metrics"].get("test_f1")
    text = (f"Version {champion['version']} ({champion['model_type']}) is the champion in "
            f"production, held-out F1 {f1:.3f}.")
    if status.get("previous"):
        text += f" The previous champion is version {status['previous']['version']}."
    return text, status
