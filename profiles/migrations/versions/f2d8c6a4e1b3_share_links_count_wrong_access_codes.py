"""Share links count wrong access codes, to lock after too many

Revision ID: f2d8c6a4e1b3
Revises: a3c5e7f9b2d4
Create Date: 2026-11-27 15:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f2d8c6a4e1b3"
down_revision = "a3c5e7f9b2d4"
branch_labels = None
depends_on = None


def upgrade():
    # Links made before now start from no wrong codes.
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("code_failures", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.drop_column("code_failures")
