"""The per-slot counts are keyed by model, and a regressor's true value may be a float.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 03:40:00

Until now the console's per-slot counts (`prediction_counts`, `label_counts`) were keyed by
(slot, model version), so a second model's rows added to the first one's volume, class
share and F1. They gain a `model` column in their key; the rows kept are the first model's
(`heart-disease`, the server default), as every row of a release with one model was.
`feedback.label` becomes a float: a regressor's true value (an hourly count, a price) is
kept exactly as sent; a classifier's stays 0 or 1 (the API checks it). SQLite cannot alter
a primary key or a column's type: those tables are copied (Alembic's batch mode).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COUNTS = ("prediction_counts", "label_counts")
FIRST_MODEL = "heart-disease"


def upgrade() -> None:
    """Add `model` to each count table's key; make the feedback label a float."""
    for table in COUNTS:
        op.add_column(table, sa.Column("model", sa.String(200), nullable=False,
                                       server_default=FIRST_MODEL))
        _key(table, ["slot", "model", "model_version"])
    with op.batch_alter_table("feedback") as batch:
        batch.alter_column("label", type_=sa.Float(), existing_type=sa.Integer(),
                           existing_nullable=False)


def downgrade() -> None:
    """Keep the first model's counts under the narrower key; labels back to integers."""
    with op.batch_alter_table("feedback") as batch:
        batch.alter_column("label", type_=sa.Integer(), existing_type=sa.Float(),
                           existing_nullable=False)
    for table in COUNTS:
        op.execute(f"DELETE FROM {table} WHERE model <> '{FIRST_MODEL}'")
        _key(table, ["slot", "model_version"])
        with op.batch_alter_table(table) as batch:
            batch.drop_column("model")


def _key(table: str, columns: list[str]) -> None:
    """Make `columns` the table's primary key (PostgreSQL swaps it; SQLite copies the table)."""
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, columns)
        return
    keyed = [sa.Column("model", sa.String(200), primary_key=True, nullable=False,
                       server_default=FIRST_MODEL)] if "model" in columns else []
    with op.batch_alter_table(table, recreate="always", reflect_args=keyed) as batch:
        batch.create_primary_key(f"{table}_pkey", columns)
