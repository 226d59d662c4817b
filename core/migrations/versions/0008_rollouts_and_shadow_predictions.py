"""Rollouts and shadow predictions: a challenger earns its promotion on live traffic.

One row per model in `rollouts` (its challenger, stage, canary share, a revision for
compare-and-set); `shadow_predictions` keeps the score of the model that did not answer
a request, by request id, so feedback labels measure champion and challenger on the same
rows. It is a plain table on PostgreSQL too (not partitioned like `predictions`): it holds
rows only while a rollout runs, and a new rollout of a model clears that model's rows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 03:30:00
"""

import sqlalchemy as sa
from alembic import op

from core.tables import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create both tables."""
    op.create_table("rollouts",
                    sa.Column("model", sa.String(length=200), nullable=False),
                    sa.Column("challenger", sa.String(length=32), nullable=False),
                    sa.Column("champion", sa.String(length=32), nullable=True),
                    sa.Column("stage", sa.String(length=16), nullable=False),
                    sa.Column("share", sa.Float(), nullable=False),
                    sa.Column("revision", sa.Integer(), nullable=False),
                    sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
                    sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
                    sa.Column("actor", sa.String(length=200), nullable=False),
                    sa.Column("reason", sa.Text(), nullable=False),
                    sa.Column("incident_id", sa.Integer(), nullable=True),
                    sa.PrimaryKeyConstraint("model"))
    op.create_table("shadow_predictions",
                    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                              autoincrement=True, nullable=False),
                    sa.Column("request_id", sa.String(length=64), nullable=False),
                    sa.Column("model", sa.String(length=200), nullable=False),
                    sa.Column("version", sa.String(length=32), nullable=False),
                    sa.Column("score", sa.Float(), nullable=False),
                    sa.Column("at", UTCDateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint("id"))
    op.create_index("ix_shadow_predictions_model_at", "shadow_predictions", ["model", "at"])
    op.create_index("ix_shadow_predictions_request_id", "shadow_predictions", ["request_id"])


def downgrade() -> None:
    """Drop both tables (Medic itself only upgrades; for `alembic downgrade`)."""
    op.drop_index("ix_shadow_predictions_request_id", table_name="shadow_predictions")
    op.drop_index("ix_shadow_predictions_model_at", table_name="shadow_predictions")
    op.drop_table("shadow_predictions")
    op.drop_table("rollouts")
