"""Names folded for searching, without accents or case

Revision ID: 5b1e7c0d2a91
Revises: 8f7b1fca1b10
Create Date: 2026-11-27 09:40:00.000000

"""

import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b1e7c0d2a91"
down_revision = "8f7b1fca1b10"
branch_labels = None
depends_on = None


# As profiles/text.py folded names when this was written: a migration keeps its own copy,
# so that it does the same whenever it runs.
PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "\u0131": "i"}
)


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.translate(PLAIN_LETTERS)


def upgrade():
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.Text(), server_default="", nullable=False))
    profile = sa.table(
        "profile",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("preferred_name", sa.String),
        sa.column("search_name", sa.Text),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(profile.c.id, profile.c.name, profile.c.preferred_name))
    for row in rows.all():
        both = " ".join(filter(None, (row.name, row.preferred_name)))
        connection.execute(
            profile.update().where(profile.c.id == row.id).values(search_name=folded(both))
        )


def downgrade():
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_column("search_name")
