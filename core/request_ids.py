"""Read the time a request id carries: UUIDv7 ids start with the millisecond they were issued.

`services.predictions.new_request_id` issues them; a logged row's `created_at` is stamped
just after, so the id alone bounds where the row is (which day partition, on PostgreSQL).
"""

from datetime import UTC, datetime, timedelta

from core.tables import Prediction

_SLACK = timedelta(hours=1)  # created_at comes microseconds after the id; spills keep it


def issued_at(request_id: str) -> datetime | None:
    """Return when a UUIDv7 request id was issued (batch rows: `<id>-<i>`); None otherwise."""
    base = request_id.partition("-")[0]
    if len(base) != 32 or base[12] != "7" or base[16] not in "89ab":
        return None
    try:
        milliseconds = int(base[:12], 16)
    except ValueError:
        return None
    return datetime.fromtimestamp(milliseconds / 1000, UTC)


def by_request_id(request_id: str) -> list:
    """Return the WHERE clauses finding a logged prediction by its request id.

    With the time in the id, the lookup is bounded to the day partitions around it.
    """
    clauses = [Prediction.request_id == request_id]
    issued = issued_at(request_id)
    if issued is not None:
        clauses += [Prediction.created_at >= issued - timedelta(seconds=1),
                    Prediction.created_at < issued + _SLACK]
    return clauses
