"""One account per staff profile

Revision ID: 84342250a220
Revises: 45507fc8aee2
Create Date: 2026-11-26 09:44:42.470575

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "84342250a220"
down_revision = "45507fc8aee2"
branch_labels = None
depends_on = None


def upgrade():
    # Should two accounts already name the same staff profile, the first account keeps it.
    op.execute(
        "UPDATE account SET staff_profile_id = NULL WHERE staff_profile_id IS NOT NULL "
        "AND id NOT IN (SELECT MIN(id) FROM account WHERE staff_profile_id IS NOT NULL "
        "GROUP BY staff_profile_id)"
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_account_staff_profile_id"), ["staff_profile_id"]
        )


def downgrade():
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_account_staff_profile_id"), type_="unique")
