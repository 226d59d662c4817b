"""Keep the PostgreSQL prediction log partitioned by day: partitions made ahead, old ones dropped.

The `predictions` table is range-partitioned on `created_at`, one partition per UTC day
(`predictions_pYYYYMMDD`), plus a DEFAULT partition that takes any row no day partition
holds (a clock far off, a job that did not run): an insert never fails for want of a
partition. A day partition created later takes its rows out of the DEFAULT one.

Every DDL statement here waits at most `LOCK_TIMEOUT` for its lock, so a long read of the
log makes a drop or a creation wait for the next run instead of queueing the log's writer
behind it. SQLite keeps one plain table (`core/log_retention.py` deletes in batches there).
"""

import logging
import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

PARENT = "predictions"
DEFAULT = "predictions_default"
AHEAD_DAYS = 7  # partitions made ahead of today; the job runs hourly, so days of slack
LOCK_TIMEOUT = "2s"
_NAME = re.compile(r"^predictions_p(\d{8})$")

# The partitioned table: the partition key is in the primary key and the one unique
# constraint (request ids are UUIDv7: 74 random bits per millisecond, unique by making).
TABLE = """
CREATE TABLE predictions (
    id BIGINT NOT NULL DEFAULT nextval('predictions_id_seq'),
    request_id VARCHAR(64) NOT NULL,
    features JSON NOT NULL,
    probability FLOAT NOT NULL,
    label INTEGER NOT NULL,
    model_version VARCHAR(32) NOT NULL,
    latency_ms FLOAT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    model VARCHAR(200) DEFAULT 'heart-disease' NOT NULL,
    CONSTRAINT predictions_pkey PRIMARY KEY (id, created_at),
    CONSTRAINT uq_predictions_request_id_created_at UNIQUE (request_id, created_at)
) PARTITION BY RANGE (created_at)
"""
INDEXES = (  # on the parent: each partition gets its own; they serve the window reads
    "CREATE INDEX ix_predictions_created_at_label ON predictions (created_at, label)",
    "CREATE INDEX ix_predictions_model_created_at ON predictions (model, created_at)",
    "CREATE INDEX ix_predictions_model_version ON predictions (model_version)",
)


def day_start(at: datetime) -> datetime:
    """Return midnight UTC of the day `at` falls in."""
    return datetime.combine(at.astimezone(UTC).date(), time(), tzinfo=UTC)


def name_of(day: date) -> str:
    """Return the name of `day`'s partition."""
    return f"{PARENT}_p{day:%Y%m%d}"


def is_partitioned(connection: Connection) -> bool:
    """Say whether this database's prediction log is the partitioned table."""
    if connection.dialect.name != "postgresql":
        return False
    return connection.scalar(text(
        "SELECT relkind FROM pg_class WHERE oid = to_regclass('predictions')")) == "p"


def days(connection: Connection) -> dict[date, str]:
    """Return the day partitions there are, by day."""
    names = connection.scalars(text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass('predictions')"))
    found = {}
    for name in names:
        matched = _NAME.match(name)
        if matched:
            found[datetime.strptime(matched[1], "%Y%m%d").date()] = name
    return found


def create(connection: Connection) -> None:
    """Create the partitioned table, its indexes and its DEFAULT partition (the migration)."""
    connection.execute(text(TABLE))
    connection.execute(text("ALTER SEQUENCE predictions_id_seq AS BIGINT "
                            "OWNED BY predictions.id"))
    for statement in INDEXES:
        connection.execute(text(statement))
    connection.execute(text(f"CREATE TABLE {DEFAULT} PARTITION OF predictions DEFAULT"))


def add_day(connection: Connection, day: date) -> str:
    """Create `day`'s partition, moving in the rows the DEFAULT partition holds for it."""
    name, low, high = name_of(day), _bound(day), _bound(day + timedelta(days=1))
    stray = connection.scalar(text(
        f"SELECT 1 FROM {DEFAULT} WHERE created_at >= :low AND created_at < :high LIMIT 1"),
        {"low": low, "high": high})
    if stray is None:
        connection.execute(text(f"CREATE TABLE {name} PARTITION OF predictions "
                                f"FOR VALUES FROM ('{low}') TO ('{high}')"))
        return name
    connection.execute(text(f"CREATE TABLE {name} (LIKE predictions INCLUDING DEFAULTS)"))
    connection.execute(text(
        f"WITH moved AS (DELETE FROM {DEFAULT} WHERE created_at >= :low AND created_at < :high "
        f"RETURNING *) INSERT INTO {name} SELECT * FROM moved"), {"low": low, "high": high})
    connection.execute(text(f"ALTER TABLE predictions ATTACH PARTITION {name} "
                            f"FOR VALUES FROM ('{low}') TO ('{high}')"))
    log.info("prediction log partition %s took its rows from the default partition", name)
    return name


def ensure(connection: Connection, today: date, *, ahead: int = AHEAD_DAYS) -> list[str]:
    """Create the partitions missing from yesterday to `ahead` days on; return their names.

    Each is created in a savepoint that waits at most `LOCK_TIMEOUT`: one that cannot get
    its lock now is left for the next run (its rows go to the DEFAULT partition meanwhile).
    """
    there = days(connection)
    made = []
    for offset in range(-1, ahead + 1):
        day = today + timedelta(days=offset)
        if day in there:
            continue
        try:
            with connection.begin_nested():
                _wait_at_most(connection)
                made.append(add_day(connection, day))
        except OperationalError as error:
            log.warning("prediction log partition for %s not created now (next run): %s",
                        day, str(error).splitlines()[0])
    return made


def drop_day(connection: Connection, day: date) -> None:
    """Drop `day`'s partition, with its feedback labels, its per-slot counts and histograms.

    The caller's transaction holds it all: the Overview's and Monitoring's counts never
    count rows that are gone, nor miss rows still there.
    """
    name = name_of(day)
    low, high = _epoch(day), _epoch(day + timedelta(days=1))
    _wait_at_most(connection)
    # The day's UUIDv7 ids are one range of the labels' primary key; ids of other forms
    # (from before UUIDv7) are few, and looked up in the partition one by one.
    connection.execute(text("DELETE FROM feedback WHERE request_id >= :low "
                            "AND request_id < :high"),
                       {"low": _first_id(low), "high": _first_id(high)})
    connection.execute(text(f"DELETE FROM feedback f USING {name} p "
                            "WHERE f.request_id = p.request_id "
                            "AND f.request_id !~ '^[0-9a-f]{12}7'"))
    for table in ("prediction_counts", "label_counts"):
        connection.execute(text(f"DELETE FROM {table} WHERE slot >= :low AND slot < :high"),
                           {"low": low, "high": high})
    for table in ("latency_counts", "score_counts", "error_sums"):  # slots, hours, the day
        connection.execute(text(f"DELETE FROM {table} WHERE width IN (30, 3600, 86400) "
                                "AND slot >= :low AND slot < :high"),
                           {"low": low, "high": high})
    connection.execute(text(f"DROP TABLE {name}"))


def _wait_at_most(connection: Connection) -> None:
    connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))


def _first_id(epoch: int) -> str:
    """Return the smallest UUIDv7 request id issued at `epoch` (seconds)."""
    return f"{epoch * 1000:012x}" + "0" * 20


def _bound(day: date) -> str:
    return f"{day:%Y-%m-%d} 00:00:00+00"


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())
