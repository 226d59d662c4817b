"""The Models page: versions with their metrics, and the champion's history."""

from ui.console.html import STYLE, note, table, when


def render(view: dict) -> str:
    """Return the versions (newest first) and the alias history (newest first) as HTML."""
    versions = sorted(view["versions"], key=lambda v: int(v["version"]), reverse=True)
    parts = [STYLE, "<h3>Versions</h3>",
             table(["Version", "Aliases", "Type", "Held-out F1", "Accuracy", "Registered"],
                   [[v["version"], ", ".join(v["aliases"]) or "—", v.get("model_type") or "—",
                     _metric(v, "test_f1"), _metric(v, "test_accuracy"), when(v["created_at"])]
                    for v in versions]) if versions else note("No version registered yet."),
             "<h3>Champion history</h3>"]
    history = list(reversed(view["history"]))
    parts.append(table(["At (UTC)", "Change", "Version", "Replaced", "By", "Why"],
                       [[when(h["at"]), f"{h['action']} → @{h['alias']}", h["version"],
                         h["replaced"] or "—", h["actor"], h["reason"]] for h in history])
                 if history else note("The aliases never moved."))
    return "".join(parts)


def _metric(version: dict, name: str) -> str:
    value = version["metrics"].get(name)
    return f"{value:.3f}" if value is not None else "—"
