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


def rollout(view: dict) -> str:
    """Return the model's rollout: stage, share, both models on the same live rows, verdict."""
    parts = [STYLE, "<h3>Rollout</h3>"]
    if view["stage"] == "none":
        return "".join([*parts, note("No challenger has been tried on live traffic.")])
    found, decided = view.get("evidence") or {}, view.get("decision") or {}
    share = f", {view['share']:.0%} of callers" if view["stage"] == "canary" else ""
    parts.append(f"<p><b>{view['stage']}</b>{share}: version {view['challenger']} beside "
                 f"champion {view['champion'] or '—'} since {when(view['started_at'])} "
                 f"(by {view['actor']}: {view['reason']})</p>")
    metric = str(found.get("metric", "")).upper()
    scored = [(name, found.get(key)) for name, key in
              (("champion", "champion_score"), ("challenger", "challenger_score"))]
    rows = [[name, score["version"], f"{score['value']:.3f}",
             f"{score['low']:.3f} to {score['high']:.3f}"]
            for name, score in scored if score]
    parts.append(f"<p>{found.get('rows', 0)} labelled live rows of {found.get('paired', 0)} "
                 "scored by both" + (f", agreeing on {found['agreement']:.0%}"
                                     if found.get("agreement") is not None else "") + "</p>")
    if rows:
        parts.append(table(["Model", "Version", metric, "Interval"], rows))
    if decided:
        parts.append(f"<p>Decision: {decided['reason']}</p>")
    return "".join(parts)


def _metric(version: dict, name: str) -> str:
    value = version["metrics"].get(name)
    return f"{value:.3f}" if value is not None else "—"
