"""A print kept for each version a share link shows, beside the profile's own

Revision ID: 0c4e2a9d7f15
Revises: f2d8c6a4e1b3
Create Date: 2026-11-27 15:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0c4e2a9d7f15"
down_revision = "f2d8c6a4e1b3"
branch_labels = None
depends_on = None


def upgrade():
    # Every print kept so far is of a profile as it was when printed: version 0.
    with op.batch_alter_table("render_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_render_result_profile_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_render_result_profile_id"), ["profile_id", "design", "paper", "version"]
        )


def downgrade():
    op.execute("DELETE FROM render_result WHERE version <> 0")
    with op.batch_alter_table("render_result", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_render_result_profile_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_render_result_profile_id"), ["profile_id", "design", "paper"]
        )
        batch_op.drop_column("version")
