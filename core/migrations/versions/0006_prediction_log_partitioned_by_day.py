"""The prediction log stays fast: on PostgreSQL it is partitioned by day, keeping every row.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 23:40:00

PostgreSQL: the table becomes range-partitioned on `created_at`, one partition per UTC day
and a DEFAULT one (`core/log_partitions.py`); the rows there are copied in, ids and all,
and the id sequence goes on from where it was (now BIGINT). A partitioned table's unique
constraints must hold the partition key, so request ids are unique with their time,
`(request_id, created_at)` (they are UUIDv7: unique by making); that index also serves the
lookups by request id. SQLite keeps one table and gets the same unique constraint (SQLite
copies a table to change one). Both copy the log once, at the first start of this version.
"""

import sqlalchemy as sa
from alembic import op

from core import log_partitions
from core.clock import utcnow

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("id, request_id, features, probability, label, model_version, latency_ms, "
           "created_at, model")
INDEXES = {"ix_predictions_created_at_label": ["created_at", "label"],
           "ix_predictions_model_version": ["model_version"],
           "ix_predictions_model_created_at": ["model", "created_at"]}


def upgrade() -> None:
    """Partition the log (PostgreSQL) or rebuild it with the new unique constraint (SQLite)."""
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        _rebuild(sa.UniqueConstraint("request_id", "created_at",
                                     name="uq_predictions_request_id_created_at"))
        return
    if log_partitions.is_partitioned(connection):
        return
    sequence = connection.scalar(sa.text("SELECT pg_get_serial_sequence('predictions', 'id')"))
    op.execute("ALTER TABLE predictions RENAME TO predictions_unpartitioned")
    op.execute("ALTER TABLE predictions_unpartitioned ALTER COLUMN id DROP DEFAULT")
    op.execute("ALTER TABLE predictions_unpartitioned "
               "RENAME CONSTRAINT predictions_pkey TO predictions_unpartitioned_pkey")
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute(f"ALTER SEQUENCE {sequence} OWNED BY NONE")
    if sequence.split(".")[-1].strip('"') != "predictions_id_seq":
        op.execute(f"ALTER SEQUENCE {sequence} RENAME TO predictions_id_seq")
    log_partitions.create(connection)
    logged = connection.scalars(sa.text(
        "SELECT DISTINCT (created_at AT TIME ZONE 'UTC')::date FROM predictions_unpartitioned"))
    today = utcnow().date()
    for day in sorted(set(logged) | {today + offset for offset in _ahead()}):
        log_partitions.add_day(connection, day)
    op.execute(f"INSERT INTO predictions ({COLUMNS}) "
               f"SELECT {COLUMNS} FROM predictions_unpartitioned")
    op.execute("DROP TABLE predictions_unpartitioned")


def downgrade() -> None:
    """Put the log back in one table with unique request ids (for `alembic downgrade`)."""
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        _rebuild(sa.UniqueConstraint("request_id"))
        return
    op.execute("ALTER TABLE predictions RENAME TO predictions_partitioned")
    op.execute("ALTER TABLE predictions_partitioned ALTER COLUMN id DROP DEFAULT")
    op.execute("ALTER SEQUENCE predictions_id_seq OWNED BY NONE")
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute("ALTER TABLE predictions_partitioned "
               "RENAME CONSTRAINT predictions_pkey TO predictions_partitioned_pkey")
    op.execute("ALTER SEQUENCE predictions_id_seq RENAME TO predictions_id_seq_partitioned")
    _plain("predictions", sa.UniqueConstraint("request_id"))  # SERIAL: a sequence of its own
    op.execute(f"INSERT INTO predictions ({COLUMNS}) "
               f"SELECT {COLUMNS} FROM predictions_partitioned")
    op.execute("SELECT setval('predictions_id_seq', "
               "(SELECT last_value FROM predictions_id_seq_partitioned))")
    op.execute("DROP TABLE predictions_partitioned")
    op.execute("DROP SEQUENCE predictions_id_seq_partitioned")
    _indexes("predictions")


def _ahead():
    from datetime import timedelta

    return [timedelta(days=d) for d in range(-1, log_partitions.AHEAD_DAYS + 1)]


def _rebuild(unique: sa.UniqueConstraint) -> None:
    """Copy SQLite's log into a table with `unique` (SQLite cannot alter a constraint)."""
    _plain("predictions_rebuilt", unique)
    op.execute(f"INSERT INTO predictions_rebuilt ({COLUMNS}) SELECT {COLUMNS} FROM predictions")
    op.drop_table("predictions")
    op.rename_table("predictions_rebuilt", "predictions")
    _indexes("predictions")


def _plain(name: str, unique: sa.UniqueConstraint) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("label", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False,
                  server_default="heart-disease"),
        sa.PrimaryKeyConstraint("id"),
        unique,
    )


def _indexes(table: str) -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, table, columns)
