"""The Models page: the picked model's versions with their metrics, the champion's history."""

from html import escape

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
    share = f", {view['share']:.0%} of callers" if view["stage"] == "canary" else ""
    parts.append(f"<p><b>{escape(view['stage'])}</b>{share}: version "
                 f"{escape(str(view['challenger']))} beside champion "
                 f"{escape(str(view['champion'] or '—'))} since {when(view['started_at'])} "
                 f"(by {escape(str(view['actor']))}: {escape(str(view['reason']))})</p>")
    parts.append(evidence(view.get("evidence") or {}, view.get("decision") or {}))
    return "".join(parts)


def evidence(found: dict, decided: dict | None = None) -> str:
    """Return both models on the same labelled live rows (a `RolloutEvidence`).

    Each one's metric with its interval, the paired improvement, agreement, each segment,
    and the decision.
    """
    metric = str(found.get("metric", "")).upper()
    scored = [(name, found.get(key)) for name, key in
              (("champion", "champion_score"), ("challenger", "challenger_score"))]
    rows = [[name, score["version"], f"{score['value']:.3f}",
             f"{score['low']:.3f} to {score['high']:.3f}"]
            for name, score in scored if score]
    parts = [f"<p>{found.get('rows', 0)} labelled live rows of {found.get('paired', 0)} "
             "scored by both" + (f", agreeing on {found['agreement']:.0%}"
                                 if found.get("agreement") is not None else "") + "</p>"]
    if rows:
        parts.append(table(["Model", "Version", metric, "Interval"], rows))
    gain = found.get("improvement")
    if gain:
        parts.append(f"<p>Paired improvement <b>{gain['value']:+.3f}</b> "
                     f"({gain['confidence']:.0%} interval {gain['low']:+.3f} to "
                     f"{gain['high']:+.3f}; positive: the challenger is better)</p>")
    segments = found.get("segments") or []
    if segments:
        parts.append(table(
            ["Segment", "Rows", f"Champion {metric}", f"Challenger {metric}", "Agreement"],
            [[s["group"], s["rows"], _value(s.get("champion")), _value(s.get("challenger")),
              f"{s['agreement']:.0%}" if s.get("agreement") is not None else "—"]
             for s in segments]))
    if decided:
        parts.append(f"<p>Decision: {escape(str(decided['reason']))}</p>")
    return "".join(parts)


def _value(score: dict | None) -> str:
    if not score:
        return "—"
    return f"{score['value']:.3f} ({score['low']:.3f} to {score['high']:.3f})"


def _metric(version: dict, name: str) -> str:
    value = version["metrics"].get(name)
    return f"{value:.3f}" if value is not None else "—"
