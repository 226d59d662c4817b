"""People decide from Slack and email; approvals escalate until someone answers.

Key holders get their Slack user and email address (each links to one holder); approvals
record how many approvers they need and who approved so far (the two-person rule), how far
their escalation went, whom it asked, and who acknowledged them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 21:15:18.909521
"""

import sqlalchemy as sa
from alembic import op

from core.tables import UTCDateTime

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slack_user', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_keys_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_api_keys_slack_user'), ['slack_user'], unique=True)

    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('approved_by', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('escalation_level', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('asked', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_at', UTCDateTime(timezone=True),
                                      nullable=True))



def downgrade() -> None:
    """Undo this revision (Medic itself only upgrades; for `alembic downgrade`)."""
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_column('acknowledged_at')
        batch_op.drop_column('acknowledged_by')
        batch_op.drop_column('asked')
        batch_op.drop_column('escalation_level')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('required')

    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_slack_user'))
        batch_op.drop_index(batch_op.f('ix_api_keys_email'))
        batch_op.drop_column('email')
        batch_op.drop_column('slack_user')

