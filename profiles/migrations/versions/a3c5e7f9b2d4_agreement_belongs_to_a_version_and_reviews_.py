"""Agreement belongs to a version, and reviews are kept

Revision ID: a3c5e7f9b2d4
Revises: 3d5f8a1c2b47
Create Date: 2026-11-27 14:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3c5e7f9b2d4"
down_revision = "3d5f8a1c2b47"
branch_labels = None
depends_on = None


def upgrade():
    # Profiles agreed before now have no fingerprint: they show as changed since they were
    # agreed, and are asked again once, rather than taken as agreed to whatever they hold.
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreed_fingerprint", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("agreed_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("print_unagreed_by", sa.Integer(), nullable=True))

    op.create_table(
        "profile_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("took_part", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("next_due", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            name=op.f("fk_profile_review_profile_id_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["account.id"], name=op.f("fk_profile_review_user_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_review")),
    )
    with op.batch_alter_table("profile_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_review_profile_id"), ["profile_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("profile_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_review_profile_id"))

    op.drop_table("profile_review")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_column("print_unagreed_by")
        batch_op.drop_column("agreed_version")
        batch_op.drop_column("agreed_fingerprint")
