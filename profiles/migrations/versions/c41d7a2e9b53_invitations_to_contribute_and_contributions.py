"""Invitations to contribute, contributions, and who contributed each statement

Revision ID: c41d7a2e9b53
Revises: b7f7eeeb1bcf
Create Date: 2026-11-27 14:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c41d7a2e9b53"
down_revision = "b7f7eeeb1bcf"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contribution_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("allow_suggestions", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["account.id"], name=op.f("fk_contribution_invite_created_by_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_contribution_invite_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            name=op.f("fk_contribution_invite_profile_id_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_contribution_invite_token_hash")),
    )
    with op.batch_alter_table("contribution_invite", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contribution_invite_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contribution_invite_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("invite_id", sa.Integer(), nullable=True),
        sa.Column("contributor_name", sa.String(length=120), nullable=False),
        sa.Column("contributor_relationship", sa.String(length=60), nullable=False),
        sa.Column("section_key", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["account.id"], name=op.f("fk_contribution_decided_by_account")
        ),
        sa.ForeignKeyConstraint(
            ["invite_id"],
            ["contribution_invite.id"],
            name=op.f("fk_contribution_invite_id_contribution_invite"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_contribution_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            name=op.f("fk_contribution_profile_id_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contribution_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contribution_invite_id"), ["invite_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contribution_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contribution_profile_id"), ["profile_id"], unique=False
        )

    # Statements written before now were written by staff: nothing to fill in.
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contributed_by", sa.String(length=183), nullable=True))


def downgrade():
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_column("contributed_by")

    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_profile_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_invite_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_created_at"))

    op.drop_table("contribution")
    with op.batch_alter_table("contribution_invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_invite_profile_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_invite_organisation_id"))

    op.drop_table("contribution_invite")
