"""Audit entries belong to one of several chains, so writers append side by side.

Every entry written before this revision is on chain 1 (the one chain there was); on
PostgreSQL `core.audit.install_guards` adds the other chains' heads.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 23:27:12.797249
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    """Undo this revision (Medic itself only upgrades; for `alembic downgrade`)."""
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('chain')
