"""Revisions of every profile, and statements that keep their identity across versions

Revision ID: 3d5f8a1c2b47
Revises: 3f9a2c1d7e54
Create Date: 2026-11-27 14:40:00.000000

"""

import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3d5f8a1c2b47"
down_revision = "3f9a2c1d7e54"
branch_labels = None
depends_on = None

# The tables as this migration reads them (the models may change later; this must not).
profile = sa.table(
    "profile",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("name", sa.String),
    sa.column("preferred_name", sa.String),
    sa.column("language", sa.String),
    sa.column("written_by", sa.String),
    sa.column("facts", sa.JSON),
    sa.column("review_due", sa.Date),
    sa.column("design", sa.String),
    sa.column("paper", sa.String),
    sa.column("consent_self", sa.Boolean),
    sa.column("consent_by", sa.String),
    sa.column("consent_relationship", sa.String),
    sa.column("consent_date", sa.Date),
    sa.column("version", sa.Integer),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
section = sa.table(
    "section",
    sa.column("id", sa.Integer),
    sa.column("profile_id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("heading", sa.String),
    sa.column("position", sa.Integer),
)
statement = sa.table(
    "statement",
    sa.column("id", sa.Integer),
    sa.column("section_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("uid", sa.String),
)
photo = sa.table(
    "photo",
    sa.column("profile_id", sa.Integer),
    sa.column("media_type", sa.String),
    sa.column("sha256", sa.String),
    sa.column("description", sa.String),
    sa.column("crop", sa.String),
)


def upgrade():
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=32), nullable=True))
    connection = op.get_bind()
    for (statement_id,) in connection.execute(sa.select(statement.c.id)).all():
        connection.execute(
            statement.update().where(statement.c.id == statement_id).values(uid=uuid.uuid4().hex)
        )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.alter_column("uid", existing_type=sa.String(length=32), nullable=False)

    revision_table = op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("what", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            name=op.f("fk_revision_profile_id_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["account.id"], name=op.f("fk_revision_user_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint("profile_id", "number", name=op.f("uq_revision_profile_id")),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revision_profile_id"), ["profile_id"], unique=False)

    # Every profile starts its history as it is now, so that its first change can be
    # compared, restored and undone like any other.
    rows = [first_revision(connection, p) for p in connection.execute(sa.select(profile))]
    if rows:
        connection.execute(revision_table.insert(), rows)


def first_revision(connection, p) -> dict:
    """A profile as it is, in the shape document.revision_document() gives."""
    doc = {"format": "one-page-profile", "version": 1, "kind": p.kind, "name": p.name}
    if p.preferred_name:
        doc["preferred_name"] = p.preferred_name
    doc["language"] = p.language
    if p.written_by:
        doc["written_by"] = p.written_by
    kept_photo = connection.execute(sa.select(photo).where(photo.c.profile_id == p.id)).first()
    if kept_photo is not None:
        doc["photo"] = {
            "media_type": kept_photo.media_type,
            "sha256": kept_photo.sha256,
            "description": kept_photo.description,
            "crop": kept_photo.crop,
        }
    if p.facts:
        doc["facts"] = [{"label": f["label"], "value": f["value"]} for f in p.facts]
    doc["sections"] = []
    sections = connection.execute(
        sa.select(section).where(section.c.profile_id == p.id).order_by(section.c.position)
    )
    for s in sections.all():
        statements = connection.execute(
            sa.select(statement.c.text, statement.c.uid)
            .where(statement.c.section_id == s.id)
            .order_by(statement.c.position)
        ).all()
        doc["sections"].append(
            {
                "key": s.key,
                **({"heading": s.heading} if s.heading else {}),
                "items": [st.text for st in statements],
                "uids": [st.uid for st in statements],
            }
        )
    if p.review_due:
        doc["review_due"] = p.review_due.isoformat()
    doc["layout"] = {"design": p.design, "paper": p.paper}
    doc["consent"] = {
        "self": p.consent_self,
        "by": p.consent_by,
        "relationship": p.consent_relationship,
        "date": p.consent_date.isoformat() if p.consent_date else None,
    }
    return {
        "profile_id": p.id,
        "number": p.version,
        "user_id": None,
        "at": p.updated_at,
        "what": "Before history was kept",
        "note": "",
        "document": doc,
    }


def downgrade():
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_profile_id"))

    op.drop_table("revision")
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_column("uid")
