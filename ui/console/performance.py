"""The Performance page: one model's live metrics in its task's terms, over a period.

Tiles (value, change against the period before, the champion's held-out baseline), the
confusion matrix of a classifier or a regressor's predicted against actual and residuals,
30 days of the task's main metric, and the agent's recent actions on the model.
"""

from html import escape

from services.reports.charts import lines, scatter
from ui.console.html import STYLE, badge, note, rounded_up, table, when

WIDTH = 900
PERIODS = {"last 24 hours": 24, "last 7 days": 168, "last 30 days": 720}
NAMES = {"accuracy": "Accuracy", "f1": "F1", "roc_auc": "ROC-AUC", "precision": "Precision",
         "recall": "Recall", "mae": "MAE", "rmse": "RMSE", "r2": "R²"}
TILE = (".mc-tile{border:1px solid #d5dde5;border-radius:6px;padding:8px 12px;min-width:170px}"
        ".mc-tile b{font-size:22px;display:block}.mc-tile span{display:block;font-size:12px}"
        ".mc-better{color:#1e8449}.mc-worse{color:#c0392b}.mc-same{color:#666}"
        ".mc-cm td{text-align:center;padding:8px 14px;border:1px solid #d5dde5}"
        ".mc-cm th{padding:4px 10px;font-weight:normal;color:#555}")


def render(view: dict) -> str:
    """Return the page as HTML with inline SVG charts."""
    classifier = view["task"] != "regression"
    period = f"{when(view['start'])} to {when(view['end'])} UTC"
    parts = [STYLE, f"<style>{TILE}</style>", '<div class="mc-plots">',
             f"<p>Model <b>{escape(view['model'])}</b> "
             f"({escape(view['task'].replace('_', ' '))}), champion "
             f"{escape('v' + view['champion']) if view['champion'] else 'none'} · "
             f"{escape(period)} · {view['labelled']:,} labelled predictions "
             f"({view['previous_labelled']:,} the period before)</p>"]
    if not view["labelled"]:
        parts.append('<p class="mc-warn">No labelled predictions in this period yet: the live '
                     "metrics need true values sent as feedback "
                     f"(POST /v1/models/{escape(view['model'])}/feedback). The baseline and "
                     "latency still show.</p>")
    parts.append('<div class="mc-stats" id="performance-tiles">'
                 + "".join(_tile(t) for t in view["metrics"]) + _latency(view["latency"])
                 + "</div>")
    if classifier:
        parts.append("<h3>Confusion matrix (this period)</h3>")
        parts.append(_confusion(view["confusion"]))
    else:
        parts.append(_pairs(view["pairs"]))
    parts.append(_trend(view["trend"]))
    parts.append("<h3>The agent's recent actions on this model</h3>")
    actions = view["actions"]
    parts.append(table(["Started (UTC)", "Incident", "Action", "Status", "Approved by"],
                       [[when(a["started_at"]), f"#{a['incident_id']} {a['incident']}",
                         a["tool"], badge(a["status"]),
                         ", ".join(a["approved_by"]) or "no approval needed"]
                        for a in actions], raw={3})
                 if actions else note("The agent has not acted on this model yet."))
    parts += [note(n) for n in view["notes"]]
    return "".join(parts) + "</div>"


def _tile(tile: dict) -> str:
    name = NAMES.get(tile["name"], tile["name"])
    value, change, baseline = tile["value"], tile["change"], tile["baseline"]
    shown = f"{value:.3f}" if value is not None else "—"
    resolution = (f'<span class="mc-same">exact within ± {tile["within"]:.4f} (binned '
                  "scores)</span>" if value is not None and tile.get("within") is not None
                  else "")
    if change is None:
        moved = '<span class="mc-same">no previous period to compare</span>' \
            if value is not None else '<span class="mc-same">no labels</span>'
    else:
        moved = _arrow(change, tile["higher_is_better"], "vs previous period")
    against = (_arrow(value - baseline, tile["higher_is_better"], f"vs baseline {baseline:.3f}")
               if value is not None and baseline is not None else
               f'<span class="mc-same">baseline {baseline:.3f}</span>' if baseline is not None
               else '<span class="mc-same">no training baseline</span>')
    return (f'<div class="mc-tile" data-metric="{escape(tile["name"])}">{escape(name)}'
            f"<b>{shown}</b>{resolution}{moved}{against}</div>")


def _arrow(delta: float, higher_is_better: bool, words: str, unit: str = "") -> str:
    """Return ▲ or ▼ and the change, green when better, red when worse, = when none."""
    if abs(delta) < 5e-4:
        return f'<span class="mc-same">= {escape(words)}</span>'
    better = (delta > 0) == higher_is_better
    return (f'<span class="{"mc-better" if better else "mc-worse"}">'
            f'{"▲" if delta > 0 else "▼"} {abs(delta):.3f}{unit} {escape(words)}</span>')


def _latency(tile: dict) -> str:
    if tile["p50_ms"] is None:
        body = "<b>—</b><span>no prediction logged</span>"
    else:
        p99 = f" · p99 {tile['p99_ms']:.1f} ms" if tile.get("p99_ms") is not None else ""
        body = (f"<b>{tile['p50_ms']:.1f} ms</b><span>p50 · p95 {tile['p95_ms']:.1f} ms"
                f"{p99}</span>"
                + (_arrow(tile["p95_ms"] - tile["previous_p95_ms"], False,
                          "p95 vs previous period", " ms")
                   if tile["previous_p95_ms"] is not None else
                   '<span class="mc-same">no previous period to compare</span>')
                + f'<span class="mc-same">{tile["logged"]:,} logged, from a histogram '
                  "(±1%); no training baseline</span>")
    return f'<div class="mc-tile" data-metric="latency">Latency{body}</div>'


def _confusion(cells: dict) -> str:
    if not any(cells.values()):
        return note("No labelled prediction in this period.")
    return ('<table class="mc-cm" id="performance-confusion"><tr><th></th>'
            "<th>true 1</th><th>true 0</th></tr>"
            f"<tr><th>predicted 1</th><td>{cells['tp']:,} TP</td><td>{cells['fp']:,} FP</td></tr>"
            f"<tr><th>predicted 0</th><td>{cells['fn']:,} FN</td><td>{cells['tn']:,} TN</td>"
            "</tr></table>")


def _pairs(pairs: dict) -> str:
    predicted, actual = pairs["predicted"], pairs["actual"]
    if not predicted:
        return "<h3>Predicted against actual</h3>" + note("No labelled prediction in this "
                                                          "period.")
    points = list(zip(predicted, actual, strict=True))
    residuals = [(p, a - p) for p, a in points]
    return (f"<h3>Predicted against actual (the period's newest {len(points):,} labelled "
            "predictions)</h3><div style=\"display:flex;gap:16px;flex-wrap:wrap\" "
            'id="performance-pairs">'
            + str(scatter(points, x_label="predicted", y_label="actual", diagonal=True))
            + str(scatter(residuals, x_label="predicted", y_label="residual (actual - "
                          "predicted)", level=0.0))
            + "</div>" + note("Left: on the dashed line the prediction was exact. Right: "
                              "above 0 the model predicted too low, below too high."))


def _trend(trend: dict) -> str:
    name = NAMES.get(trend["metric"], trend["metric"])
    values = [v for v in trend["values"] if v is not None]
    title = f"<h3>{escape(name)} per day, last 30 days ({sum(trend['labelled']):,} labelled)</h3>"
    if not values:
        return title + note("No labelled prediction in the last 30 days.")
    low, high = (0.0, 1.0) if trend["metric"] in ("accuracy", "f1", "precision", "recall") \
        else (min(0.0, *values), rounded_up(max(values) * 1.1) or 1.0)
    return title + str(lines(trend["days"], {name: trend["values"]}, low=low, high=high,
                             width=WIDTH))

