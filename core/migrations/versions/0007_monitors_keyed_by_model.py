"""Monitors are keyed by model: (model, name) is the key of monitor states and results.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 23:50:00

Until now a monitor's state and last result were keyed by its name alone, so two models'
`data_drift` would have shared one state. The rows kept are the first model's (0002 gave
them its name), so they keep their meaning under the wider key. SQLite cannot alter a
primary key: the table is copied (Alembic's batch mode); PostgreSQL swaps the constraint.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("monitor_states", "monitor_results")


def upgrade() -> None:
    """Widen each table's primary key from (name) to (name, model)."""
    for table in TABLES:
        _key(table, ["name", "model"])


def downgrade() -> None:
    """Narrow the key back to (name), keeping the first model's rows only."""
    for table in TABLES:
        op.execute(f"DELETE FROM {table} WHERE model <> 'heart-disease'")
        _key(table, ["name"])


def _key(table: str, columns: list[str]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, columns)
        return
    keyed = [sa.Column("model", sa.String(200), primary_key=True, nullable=False,
                       server_default="heart-disease")] if "model" in columns else []
    with op.batch_alter_table(table, recreate="always", reflect_args=keyed) as batch:
        batch.create_primary_key(f"{table}_pkey", columns)
