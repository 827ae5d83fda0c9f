"""Install administrators, who may add further organisations

Revision ID: 989a12a5fe9c
Revises: e4dabfe4522f
Create Date: 2026-11-26 09:22:14.650637

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "989a12a5fe9c"
down_revision = "e4dabfe4522f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("install_admin", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # An install set up before this change: its first account, the one that set it up,
    # may add further organisations (if it is still an active administrator).
    op.execute(
        "UPDATE account SET install_admin = TRUE WHERE id = (SELECT MIN(id) FROM account) "
        "AND role = 'administrator' AND active = TRUE AND password_hash <> ''"
    )


def downgrade():
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("install_admin")
