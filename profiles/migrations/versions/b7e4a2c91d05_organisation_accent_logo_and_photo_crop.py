"""An organisation's accent colour and logo, and how each photo is cropped when printed

Revision ID: b7e4a2c91d05
Revises: 7c3d9e1f4a62
Create Date: 2026-11-27 11:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e4a2c91d05"
down_revision = "7c3d9e1f4a62"
branch_labels = None
depends_on = None


def upgrade():
    # No row: the organisation prints in each layout's own colours, without a logo.
    op.create_table(
        "branding",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("accent", sa.String(length=7), nullable=True),
        sa.Column("logo_media_type", sa.String(length=20), nullable=True),
        sa.Column("logo_data", sa.LargeBinary(), nullable=True),
        sa.Column("logo_width", sa.Integer(), nullable=True),
        sa.Column("logo_height", sa.Integer(), nullable=True),
        sa.Column("logo_description", sa.String(length=200), nullable=False),
        sa.Column("logo_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_branding_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_branding")),
    )
    # Photos already chosen keep printing whole, with nothing cut off.
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("crop", sa.String(length=10), server_default="whole", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_column("crop")
    op.drop_table("branding")
