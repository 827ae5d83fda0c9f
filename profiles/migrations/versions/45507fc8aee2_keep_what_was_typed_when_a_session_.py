"""Keep what was typed when a session ended before saving

Revision ID: 45507fc8aee2
Revises: 989a12a5fe9c
Create Date: 2026-11-26 09:44:36.495769

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "45507fc8aee2"
down_revision = "989a12a5fe9c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "held_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("endpoint", sa.String(length=40), nullable=False),
        sa.Column("view_args", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("typed", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            name=op.f("fk_held_change_profile_id_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["account.id"], name=op.f("fk_held_change_user_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_change")),
    )
    with op.batch_alter_table("held_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_held_change_profile_id"), ["profile_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_held_change_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("held_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_held_change_user_id"))
        batch_op.drop_index(batch_op.f("ix_held_change_profile_id"))

    op.drop_table("held_change")
