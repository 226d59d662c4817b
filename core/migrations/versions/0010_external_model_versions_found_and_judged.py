"""New versions of models trained elsewhere, as Medic found and judged them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:28:25

`external_versions` holds one row per (model, registered version) that Medic's periodic
look found newer than the champion: collecting while the gate cannot tell, waiting for an
approval, then promoted, refused, held, undecided, rejected or superseded — so no version is
judged twice
(`agent_graph/runtime/external_versions.py`).
"""

import sqlalchemy as sa
from alembic import op

from core.tables import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `external_versions`."""
    op.create_table("external_versions",
                    sa.Column("model", sa.String(length=200), nullable=False),
                    sa.Column("version", sa.String(length=32), nullable=False),
                    sa.Column("status", sa.String(length=16), nullable=False),
                    sa.Column("champion", sa.String(length=32), nullable=True),
                    sa.Column("reason", sa.Text(), nullable=False),
                    sa.Column("rows", sa.Integer(), nullable=False),
                    sa.Column("incident_id", sa.Integer(), nullable=True),
                    sa.Column("approval_id", sa.Integer(), nullable=True),
                    sa.Column("seen_at", UTCDateTime(timezone=True), nullable=False),
                    sa.Column("judged_at", UTCDateTime(timezone=True), nullable=True),
                    sa.PrimaryKeyConstraint("model", "version"))


def downgrade() -> None:
    """Drop `external_versions` (Medic itself only upgrades; for `alembic downgrade`)."""
    op.drop_table("external_versions")
