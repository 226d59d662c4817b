"""Error rate: 5xx answers over prediction requests, as the API counted them."""

from ml.monitoring import health
from ml.monitoring.kind import MonitorKind
from ml.monitoring.results import MonitorResult, result


def check(definition, _window, _reference, serving) -> MonitorResult:
    """Divide the API's 5xx answers by its prediction requests over the window."""
    counts = serving(definition.window_minutes) if serving else None
    if counts is None:
        return result(definition, rows=0, value=None, note="no request counts from the API")
    return result(definition, rows=counts.requests, value=health.error_rate(counts),
                  values={"errors": float(counts.errors)})


ERROR_RATE = MonitorKind(
    name="error_rate", measures="5xx answers / prediction requests, counted by the API",
    check=check, direction="above", alert_type="system_error", value_name="error_rate",
    reads_serving=True)
