"""Render report contexts to HTML with Jinja2 (autoescaped) and to PDF in a capped child."""

import math
from functools import cache
from pathlib import Path

from services.reports import charts
from services.reports.pdf import MEMORY_MB, TIMEOUT_SECONDS, to_pdf
from services.views import IncidentReport

TEMPLATES = Path(__file__).with_name("templates")


def html(template: str, context: dict) -> str:
    """Return the template rendered with the context (every value escaped)."""
    return _templates().get_template(template).render(context)


@cache
def _templates():
    """Return the templates' environment: each template is compiled once per process."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def incident_html(report: IncidentReport) -> str:
    """Return an incident report as HTML, its charts inline as SVG."""
    return html("incident.html.j2", {**dict(report), "charts": incident_charts(report)})


def incident_pdf(report: IncidentReport, *, timeout: float = TIMEOUT_SECONDS,
                 memory_mb: int = MEMORY_MB) -> bytes:
    """Return an incident report as PDF."""
    return to_pdf(incident_html(report), timeout=timeout, memory_mb=memory_mb)


def health_html(context: dict) -> str:
    """Return a model-health report as HTML."""
    return html("health.html.j2", {**context, "charts": health_charts(context)})


def health_pdf(context: dict, *, timeout: float = TIMEOUT_SECONDS,
               memory_mb: int = MEMORY_MB) -> bytes:
    """Return a model-health report as PDF."""
    return to_pdf(health_html(context), timeout=timeout, memory_mb=memory_mb)


def health_charts(context: dict) -> dict:
    """Draw traffic per bucket, class share, and F1 from feedback (only where labels exist)."""
    traffic, f1 = context["traffic"], context["f1"]
    ticks = [label[5:] for label in traffic["labels"]]  # drop the year
    total = traffic["total"] or 1
    return {
        "traffic": charts.columns(ticks, traffic["counts"]),
        "classes": charts.hbars([(f"class {label}", count / total, False)
                                 for label, count in context["classes"].items()],
                                max_value=1.0, fmt="{:.0%}"),
        "f1": charts.lines(ticks, {"F1 (labels)": f1["values"]})
        if any(v is not None for v in f1["values"]) else None,
    }


def incident_charts(report: IncidentReport) -> dict:
    """Draw the diagnosis: drift evidence per feature, the model's metric per version."""
    drawn = {"drift": None, "performance": None}
    drift = report.measurements.drift
    if drift:
        rows = sorted(drift.features, key=lambda f: f.p_value)
        drawn["drift"] = charts.hbars(
            [(f.feature, _strength(f.p_value), f.drifted) for f in rows],
            max_value=10.0, fmt="{:.1f}", threshold=-math.log10(0.05),
            threshold_label="p = 0.05")
    performance = report.measurements.performance
    if performance:
        scores = [(f"{alias} (v{s.version})", s.f1 if s.value is None else s.value, False)
                  for alias, s in performance.items()]
        drawn["performance"] = charts.hbars(
            scores, max_value=max([1.0, *(v or 0.0 for _, v, _ in scores)]), fmt="{:.3f}")
        drawn["performance_metric"] = next(iter(performance.values())).metric.upper()
    return drawn


def _strength(p_value: float) -> float:
    """Return −log10 p, capped at 10 (p below 1e-10 is as certain as a chart can show)."""
    return min(10.0, -math.log10(max(p_value, 1e-10)))
