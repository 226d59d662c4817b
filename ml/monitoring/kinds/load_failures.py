"""Load failures: failed attempts to load the champion, as the API counted them."""

from ml.monitoring.kind import MonitorKind
from ml.monitoring.results import MonitorResult, result


def check(definition, _window, _reference, serving) -> MonitorResult:
    """Count the API's failed attempts to load the champion over the window."""
    counts = serving(definition.window_minutes) if serving else None
    if counts is None:
        return result(definition, rows=0, value=None, note="no load counts from the API")
    return result(definition, rows=counts.requests, value=float(counts.load_failures))


LOAD_FAILURES = MonitorKind(
    name="load_failures", measures="failed attempts to load the champion",
    check=check, direction="above", alert_type="system_error", value_name="load_failures",
    reads_serving=True)
