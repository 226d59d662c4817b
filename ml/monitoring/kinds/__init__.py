"""The monitor kinds: each declared in its own module, registered here by one line.

Adding a kind: write `ml/monitoring/kinds/<name>.py` holding a `MonitorKind` (its check,
direction, alert type, value name, chart), add it to `KINDS` below, then use it in
`configs/monitors.yaml`.
"""

from ml.monitoring.kind import MonitorKind, by_name
from ml.monitoring.kinds.data_drift import DATA_DRIFT
from ml.monitoring.kinds.error_rate import ERROR_RATE
from ml.monitoring.kinds.estimated_performance import ESTIMATED_PERFORMANCE
from ml.monitoring.kinds.latency_p99 import LATENCY_P99
from ml.monitoring.kinds.load_failures import LOAD_FAILURES
from ml.monitoring.kinds.performance import PERFORMANCE
from ml.monitoring.kinds.prediction_drift import PREDICTION_DRIFT

KINDS: dict[str, MonitorKind] = by_name(
    DATA_DRIFT, PREDICTION_DRIFT, PERFORMANCE, ESTIMATED_PERFORMANCE, ERROR_RATE, LATENCY_P99,
    LOAD_FAILURES)


def kind_of(name: str) -> MonitorKind:
    """Return the registered kind called `name`; KeyError naming the known ones if none."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown monitor kind {name!r} (known: {', '.join(KINDS)})") from None


__all__ = ["KINDS", "MonitorKind", "kind_of"]
