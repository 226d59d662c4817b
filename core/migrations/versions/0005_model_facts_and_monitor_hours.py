"""Each model's versions as MLflow holds them; each monitor's checks summed per hour.

One row per model (`model_facts`): read-only commands answer which version is champion and
its training metrics from it without opening MLflow. Homes made before this revision have no
row yet; each model's row is filled from MLflow on its first read.

One row per monitor and hour (`monitor_hour_counts`): the console's day and week plots read
these instead of every check. `core.db` fills them from the history already kept, once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 23:29:07.863654
"""

import sqlalchemy as sa
from alembic import op

from core.tables import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('model_facts',
                    sa.Column('model', sa.String(length=200), nullable=False),
                    sa.Column('versions', sa.JSON(), nullable=False),
                    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('model'))
    op.create_table('monitor_hour_counts',
                    sa.Column('model', sa.String(length=200), server_default='heart-disease',
                              nullable=False),
                    sa.Column('name', sa.String(length=64), nullable=False),
                    sa.Column('slot', sa.BigInteger(), nullable=False),
                    sa.Column('checks', sa.Integer(), nullable=False),
                    sa.Column('valued', sa.Integer(), nullable=False),
                    sa.Column('value_sum', sa.Float(), nullable=False),
                    sa.Column('points', sa.JSON(), nullable=False),
                    sa.Column('judged', sa.JSON(), nullable=False),
                    sa.PrimaryKeyConstraint('model', 'name', 'slot'))


def downgrade() -> None:
    """Undo this revision (Medic itself only upgrades; for `alembic downgrade`)."""
    op.drop_table('monitor_hour_counts')
    op.drop_table('model_facts')
