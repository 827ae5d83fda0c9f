"""Prints are kept per design and paper

Revision ID: 2f9ba16d359a
Revises: 09adfd70855c
Create Date: 2026-11-27 06:10:20.302418

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2f9ba16d359a"
down_revision = "09adfd70855c"
branch_labels = None
depends_on = None


def upgrade():
    # Kept prints are only a cache, and their keys change with this release: start afresh.
    op.execute("DELETE FROM render_result")
    with op.batch_alter_table("render_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("design", sa.String(length=40), nullable=False))
        batch_op.add_column(sa.Column("paper", sa.String(length=10), nullable=False))


def downgrade():
    with op.batch_alter_table("render_result", schema=None) as batch_op:
        batch_op.drop_column("paper")
        batch_op.drop_column("design")
