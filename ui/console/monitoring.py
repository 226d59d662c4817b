"""The Monitoring page: one model's monitors now, then drift, performance and traffic over time.

A classifier's performance is its F1 (real and estimated) and its class share; a
regressor's is its performance monitor's metric (MAE, RMSE or R²), drawn as a line.
"""

from html import escape

from services.reports.charts import columns, heatmap, lines
from ui.console.html import STYLE, badge, note, rounded_up, table, when

WIDTH = 900
PERIODS = {"last 6 hours": 6, "last 24 hours": 24, "last 7 days": 168, "last 30 days": 720}


def render(view: dict) -> str:
    """Return the page as HTML with inline SVG plots."""
    labels, drift, f1, traffic = view["labels"], view["drift"], view["f1"], view["traffic"]
    classifier = view.get("task", "binary_classification") != "regression"
    every = f"{view['bucket_minutes']}-minute buckets since {labels[0]} UTC"
    parts = [STYLE, '<div class="mc-plots">']
    if view.get("model"):
        parts.append(f"<p>Model <b>{escape(view['model'])}</b> "
                     f"({escape(view['task'].replace('_', ' '))}).</p>")
    parts.append(_now(view["monitors"]))
    parts.append(f"<h3>Drift per feature ({escape(every)})</h3>")
    if drift["checks"]:
        parts.append(heatmap(drift["features"], labels, drift["cells"], width=WIDTH,
                             note="share of the bucket's checks that found the feature "
                                  "drifted: green none, red all; blank: no check"))
        parts.append(lines(labels, {"share of features drifted": drift["share"]}, width=WIDTH,
                           guides={"warning": drift["warning"],
                                   "critical": drift["critical"]}))
    else:
        parts.append(note("No drift check in this period yet."))
    if classifier:
        parts.append("<h3>F1: real (feedback labels) and estimated (from probabilities)</h3>")
        parts.append(lines(labels, {"real": f1["real"], "estimated": f1["estimated"]},
                           width=WIDTH))
        parts.append(note(f"{f1['labelled']} labelled predictions in the period; the "
                          f"estimate is the {f1['estimated_monitor'] or 'estimating'} "
                          "monitor's, over its own window, where it had enough rows."))
    for drawn in view["values"]:
        parts.append(_value_chart(labels, drawn))
    parts.append(f"<h3>Prediction volume ({traffic['total']} in the period)</h3>")
    parts.append(columns(labels, traffic["counts"], width=WIDTH))
    if classifier:
        parts.append("<h3>Class share: predicted positive</h3>")
        parts.append(lines(labels, {"predicted positive": traffic["positive_share"]},
                           width=WIDTH))
    return "".join(parts) + "</div>"


def _now(monitors: list[dict]) -> str:
    if not monitors:
        return note("No monitor has run yet: they run on the worker's tick.")
    return table(["Monitor", "State", "Value", "Rows", "Checked (UTC)", "Note"],
                 [[m["name"], badge(m["state"]), _value(m), m["rows"], when(m["checked_at"]),
                   m["note"]] for m in monitors], raw={1})


def _value(monitor: dict) -> str:
    value = monitor["value"]
    return f"{monitor['value_name']} {value:.3g}" if value is not None else "—"


def _value_chart(labels: list[str], drawn: dict) -> str:
    """Draw a monitor's own value over the period, scaled to hold it and its thresholds."""
    levels = [v for v in drawn["values"] if v is not None] + [drawn["warning"],
                                                               drawn["critical"]]
    title = (f"<h3>{escape(drawn['monitor'])}: {escape(drawn['value_name'])} "
             f"({drawn['checks']} checks)</h3>")
    chart = lines(labels, {drawn["value_name"]: drawn["values"]}, width=WIDTH,
                  low=min(0.0, *levels), high=rounded_up(max(*levels) * 1.1) or 1.0,
                  guides={"warning": drawn["warning"], "critical": drawn["critical"]})
    return title + str(chart)  # str(): Markup would escape the title added to it

