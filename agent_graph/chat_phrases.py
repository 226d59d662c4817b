"""Phrase lookup results as plain sentences for the intent-matching chat."""

from core.errors import NotFound


def phrase(intent: str, match, lookups) -> tuple[str, object]:
    """Return the sentence and the data it came from."""
    if intent == "pending_approvals":
        rows = lookups.pending_approvals()
        if not rows:
            return "No approvals are pending.", rows
        items = "; ".join(f"#{a['id']} for incident {a['incident_id']}: "
                          + ", ".join(x["tool"] for x in a["actions"])
                          + f" (expires {a['expires_at'][:16]})" for a in rows)
        return f"{len(rows)} approval(s) pending: {items}.", rows
    if intent == "version_history":
        version = match.group(2)
        rows = lookups.version_history(version)
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
    if intent == "incident":
        try:
            found = lookups.incident(int(match.group(1)))
        except NotFound as error:
            return str(error) + ".", None
        plan = ", ".join(s["tool"] for s in found["plan"]) or "no actions"
        return (f"Incident {found['id']} ({found['type']}, {found['title']}) is {found['state']}: "
                f"severity {found['severity_score']} ({found['severity_level']}) decided by "
                f"{found['decided_by']}; plan: {plan}; outcome: {found['outcome'] or 'open'}."
                ), found
    if intent == "drift":
        rows = [i for i in lookups.recent_incidents(24) if i["type"] == "drift"]
        if not rows:
            return "No drift alerts in the last 24 hours.", rows
        worst = max(rows, key=lambda i: i["severity_score"] or 0)
        return (f"{len(rows)} drift incident(s) in the last 24 hours; the worst, #{worst['id']} "
                f"({worst['title']}), scored {worst['severity_score']} "
                f"({worst['severity_level']}) and is {worst['state']}."), rows
    if intent == "registry_status":
        status = lookups.registry_status()
        champion = status["champion"]
        if champion is None:
            return "No model is in production yet: run `medic train`.", status
        f1 = champion["metrics"].get("test_f1")
        text = (f"Version {champion['version']} ({champion['model_type']}) is the champion in "
                f"production, held-out F1 {f1:.3f}.")
        if status["previous"]:
            text += f" The previous champion is version {status['previous']['version']}."
        return text, status
    rows = lookups.recent_incidents(24)
    open_rows = [i for i in rows if i["state"] in ("open", "awaiting_approval")]
    return (f"{len(rows)} incident(s) in the last 24 hours, {len(open_rows)} still open."
            + "".join(f" #{i['id']} {i['title']}: {i['state']}." for i in rows[:5])), rows
