"""Groups of profiles, and print jobs for many at once

Revision ID: b7f7eeeb1bcf
Revises: b7e4a2c91d05
Create Date: 2026-11-27 11:38:21.367961

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7f7eeeb1bcf"
down_revision = "b7e4a2c91d05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "profile_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("folded_name", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_profile_group_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_group")),
        sa.UniqueConstraint(
            "organisation_id", "folded_name", name=op.f("uq_profile_group_organisation_id")
        ),
    )
    with op.batch_alter_table("profile_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_group_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["profile_group.id"],
            name=op.f("fk_group_member_group_id_profile_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            name=op.f("fk_group_member_profile_id_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "profile_id", name=op.f("pk_group_member")),
    )
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_member_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "print_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("chosen", sa.String(length=200), nullable=False),
        sa.Column("profile_ids", sa.JSON(), nullable=False),
        sa.Column("paper", sa.String(length=10), nullable=False),
        sa.Column("blank_backs", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.Column("heartbeat", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_print_job_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["account.id"], name=op.f("fk_print_job_user_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_job")),
    )
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_job_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_print_job_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_job_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_print_job_created_at"))

    op.drop_table("print_job")
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_member_profile_id"))

    op.drop_table("group_member")
    with op.batch_alter_table("profile_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_group_organisation_id"))

    op.drop_table("profile_group")
