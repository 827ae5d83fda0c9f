"""Sessions kept on the server, the cookie holding only their id

Revision ID: de0b05f8fe03
Revises: 5b1e7c0d2a91
Create Date: 2026-11-27 08:58:13.805067

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "de0b05f8fe03"
down_revision = "5b1e7c0d2a91"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("expiry", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_expiry"), ["expiry"], unique=False)


def downgrade():
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_expiry"))

    op.drop_table("web_session")
