"""Rows belong to a model: a `model` column, 'heart-disease' for every row already there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 20:33:36.424475

Every release before this one served one model, heart-disease, so the server default
fills the column of the rows kept (SQLite and PostgreSQL add such a column without
rewriting the table's rows one by one). The per-slot counts stay keyed by version for now.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("incidents", "alerts", "approvals", "predictions", "feedback", "monitor_states",
          "monitor_results", "monitor_history")
INDEXES = {  # name: (table, columns), for the lookups by model
    "ix_incidents_model": ("incidents", ["model"]),
    "ix_predictions_model_created_at": ("predictions", ["model", "created_at"]),
    "ix_monitor_history_model_name_checked_at": ("monitor_history",
                                                 ["model", "name", "checked_at"]),
}


def upgrade() -> None:
    """Add the column to each table, then the indexes lookups by model need."""
    for table in TABLES:
        op.add_column(table, sa.Column("model", sa.String(length=200), nullable=False,
                                       server_default="heart-disease"))
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    """Drop the indexes and the column (SQLite copies each table to drop a column)."""
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("model")
