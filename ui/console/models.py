"""The Models page: the picked model's versions with their metrics, the champion's history."""

from ui.console.html import STYLE, note, table, when


def render(view: dict) -> str:
    """Return the versions (newest first) and the alias history (newest first) as HTML."""
    versions = sorted(view["versions"], key=lambda v: int(v["version"]), reverse=True)
    regressor = any("test_mae" in v["metrics"] for v in versions)
    shown = (("test_mae", "Held-out MAE"), ("test_rmse", "RMSE")) if regressor else \
        (("test_f1", "Held-out F1"), ("test_accuracy", "Accuracy"))
    parts = [STYLE, "<h3>Versions</h3>",
             table(["Version", "Aliases", "Type", *(title for _, title in shown), "Registered"],
                   [[v["version"], ", ".join(v["aliases"]) or "—", v.get("model_type") or "—",
                     *(_metric(v, name) for name, _ in shown), when(v["created_at"])]
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
