"""The Audit page: the newest entries (one incident's, if chosen) and the chain's verdict."""

from html import escape

from ui.console.html import STYLE, note, table, when


def entries(rows: list[dict]) -> str:
    """Return the entries, oldest first, with their hashes."""
    if not rows:
        return STYLE + note("No audit entries match.")
    return STYLE + table(["#", "At (UTC)", "Incident", "Who", "What", "Hash"],
                         [[r["id"], when(r["at"]), r["incident_id"] or "—", r["actor"],
                           r["event"], r["hash"][:16]] for r in rows])


def verdict(result: dict) -> str:
    """Return the chain's verdict in one sentence."""
    reason = escape(result["reason"])
    if result["ok"]:
        warning = f" Warning: {reason}" if reason else ""  # e.g. entries from before the key
        return f"<b>Audit chain intact</b>: {result['entries']} entries verified.{warning}"
    where = f" at entry {result['first_broken']}" if result["first_broken"] is not None else ""
    return f"<b>Audit chain broken</b>{where}: {reason}"
