"""Measure serving health: error rate, load failures (API counts), p99 latency (the log)."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ServingCounts:
    """What the API counted over a monitor's window (its metrics are the source)."""

    requests: int  # prediction requests answered or failed
    errors: int  # of those, answered with a 5xx
    load_failures: int = 0  # attempts to load the champion that failed


def error_rate(counts: ServingCounts) -> float | None:
    """Return errors / requests, or None when there were no requests."""
    return counts.errors / counts.requests if counts.requests > 0 else None


def latency_p99(latency_ms) -> float | None:
    """Return the 99th percentile of logged latencies in ms (linear interpolation), or None."""
    values = np.asarray(latency_ms, dtype="float64")
    values = values[np.isfinite(values)]
    return float(np.percentile(values, 99)) if values.size else None
