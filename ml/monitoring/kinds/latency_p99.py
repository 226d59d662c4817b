"""Latency: the 99th percentile of the logged prediction latency, in milliseconds."""

import pandas as pd

from ml.monitoring import health
from ml.monitoring.kind import MonitorKind
from ml.monitoring.results import MonitorResult, result, too_few


def check(definition, window: pd.DataFrame, _reference, _serving) -> MonitorResult:
    """Take the p99 of the window's `latency_ms`."""
    latency = window["latency_ms"] if "latency_ms" in window else pd.Series(dtype="float64")
    rows = int(latency.notna().sum())
    return result(definition, rows=rows, value=health.latency_p99(latency),
                  note=too_few(definition, window) if rows < definition.min_rows else "")


LATENCY_P99 = MonitorKind(
    name="latency_p99", measures="99th percentile of logged prediction latency, ms",
    check=check, direction="above", alert_type="system_error", value_name="latency_p99_ms")
