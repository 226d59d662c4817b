"""Each model's versions as MLflow holds them, kept where Medic moves aliases.

One row per model (`model_facts`): read-only commands answer which version is champion and
its training metrics from it without opening MLflow. Homes made before this revision have no
row yet; each model's row is filled from MLflow on its first read.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-04 23:29:07.863654
"""

import sqlalchemy as sa
from alembic import op

from core.tables import UTCDateTime

revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('model_facts',
                    sa.Column('model', sa.String(length=200), nullable=False),
                    sa.Column('versions', sa.JSON(), nullable=False),
                    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('model'))


def downgrade() -> None:
    """Undo this revision (Medic itself only upgrades; for `alembic downgrade`)."""
    op.drop_table('model_facts')
