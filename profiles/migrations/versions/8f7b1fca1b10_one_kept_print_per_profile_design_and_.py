"""One kept print per profile, design and paper

Revision ID: 8f7b1fca1b10
Revises: 2f9ba16d359a
Create Date: 2026-11-27 07:42:21.115123

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "8f7b1fca1b10"
down_revision = "2f9ba16d359a"
branch_labels = None
depends_on = None


def upgrade():
    # Kept prints are only a cache: rather than choose among two kept at the same moment,
    # start afresh.
    op.execute("DELETE FROM render_result")
    with op.batch_alter_table("render_result", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_render_result_profile_id"), ["profile_id", "design", "paper"]
        )


def downgrade():
    with op.batch_alter_table("render_result", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_render_result_profile_id"), type_="unique")
