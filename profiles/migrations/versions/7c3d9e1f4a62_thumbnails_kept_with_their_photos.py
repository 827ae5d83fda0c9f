"""Thumbnails kept with their photos

Revision ID: 7c3d9e1f4a62
Revises: de0b05f8fe03
Create Date: 2026-11-27 10:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c3d9e1f4a62"
down_revision = "de0b05f8fe03"
branch_labels = None
depends_on = None


def upgrade():
    # Made again on first showing: nothing to fill in.
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thumbnail", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("thumbnail_of", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_column("thumbnail_of")
        batch_op.drop_column("thumbnail")
