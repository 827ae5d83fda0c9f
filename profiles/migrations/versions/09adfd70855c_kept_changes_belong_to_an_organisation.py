"""Kept changes belong to an organisation, like everything else that is scoped to one

Revision ID: 09adfd70855c
Revises: 84342250a220
Create Date: 2026-11-27 05:53:21.613857

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "09adfd70855c"
down_revision = "84342250a220"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("held_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
    # A kept change belongs to the organisation of the person who typed it.
    op.execute(
        "UPDATE held_change SET organisation_id = "
        "(SELECT organisation_id FROM account WHERE account.id = held_change.user_id)"
    )
    with op.batch_alter_table("held_change", schema=None) as batch_op:
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_held_change_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_held_change_organisation_id_organisation"),
            "organisation",
            ["organisation_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("held_change", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_held_change_organisation_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_held_change_organisation_id"))
        batch_op.drop_column("organisation_id")
