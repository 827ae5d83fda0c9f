"""The database: organisations and their people, profiles, photos and rendered PDFs."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import ClassVar

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .extensions import db
from .kinds import MAX_FACT_LABEL, MAX_FACTS, MAX_HEADING  # noqa: F401 (limits listed here)
from .text import folded

# What a profile may hold, in characters unless said: the database, the wizard's forms, the
# importer and the file format (docs/profile-format.md, checked by the tests) all use these.
# A heading's limit, MAX_HEADING, is the kinds' own: a kind's headings keep to it too; so
# are the limits on key facts and their labels (MAX_FACTS, MAX_FACT_LABEL).
# The largest id an id column holds (PostgreSQL's integer); a larger number names nothing.
MAX_ID = 2**31 - 1
MAX_NAME = 120
MAX_PREFERRED_NAME = 60
MAX_WRITTEN_BY = 200
MAX_PHOTO_DESCRIPTION = 200
MAX_FACT_VALUE = 200
MAX_STATEMENTS = 40  # statements in one section
MAX_STATEMENT = 600
MAX_CONSENT_TEXT = 120  # who agreed, and how they are related to the person
MAX_REVISION_WHAT = 80  # what a save did, in a few plain words
MAX_REVIEW_NOTE = 1000  # what a review found or changed
MAX_REVIEW_PEOPLE = 200  # who took part in a review

# And what an account and an organisation may hold.
MAX_PERSON_NAME = 120
MAX_EMAIL = 254
MAX_ORGANISATION_NAME = 120
MAX_SLUG = 60
MAX_LOGO_DESCRIPTION = 200

MAX_GROUP_NAME = 80

# What an invitation to contribute and a contribution may hold.
MAX_INVITE_LABEL = 120  # who the link is for: "Margaret's family"
MAX_CONTRIBUTOR = 120  # a contributor's name
MAX_RELATIONSHIP = 60  # and how they know the person: "daughter", "friend from church"
# "Ann Smith (daughter)": a contributor's name and relationship, kept with their statement.
MAX_CONTRIBUTED_BY = MAX_CONTRIBUTOR + MAX_RELATIONSHIP + 3


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored time in UTC, with its zone: SQLite gives back the UTC time without it."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def new_uid() -> str:
    """A statement's lasting identity: random, so it says nothing about the statement."""
    return uuid.uuid4().hex


class OrganisationScoped:
    """Rows that belong to one organisation. Every query made through the session sees only
    the current organisation's (profiles.services applies the scope, in one place)."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)


class Organisation(db.Model):
    """A care home, home-care service, school or hospital team: the owner of its profiles."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_ORGANISATION_NAME))
    slug: Mapped[str] = mapped_column(String(MAX_SLUG), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")


ROLES = ("administrator", "staff")


class User(OrganisationScoped, UserMixin, db.Model):
    """Someone who signs in: an administrator or a member of staff of one organisation."""

    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept lower-case, so signing in does not depend on how the address was typed.
    email: Mapped[str] = mapped_column(String(MAX_EMAIL), unique=True)
    name: Mapped[str] = mapped_column(String(MAX_PERSON_NAME))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="staff")
    # An administrator of the whole install: may add further organisations. Granted to
    # whoever sets up a fresh install; it gives no access to other organisations' profiles.
    install_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session's identity: raising it signs the person out on every device.
    session_version: Mapped[int] = mapped_column(default=1)
    # The person's own staff profile, if they keep one.
    staff_profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("profile.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_administrator(self) -> bool:
        return self.role == "administrator"

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"


class Profile(OrganisationScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    preferred_name: Mapped[str] = mapped_column(String(MAX_PREFERRED_NAME), default="")
    # Both names without accents or case, for searching (see text.folded); kept by names().
    search_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    written_by: Mapped[str] = mapped_column(String(MAX_WRITTEN_BY), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    review_due: Mapped[date | None]
    design: Mapped[str] = mapped_column(String(40), default="classic")
    paper: Mapped[str] = mapped_column(String(10), default="A4")
    facts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    # Consent: who agreed to the profile being made and shared, when, and whether the
    # person agreed themselves or someone acted for them (and how they are related).
    consent_by: Mapped[str] = mapped_column(String(MAX_CONSENT_TEXT), default="")
    consent_date: Mapped[date | None]
    consent_self: Mapped[bool | None] = mapped_column(Boolean)
    consent_relationship: Mapped[str] = mapped_column(String(MAX_CONSENT_TEXT), default="")
    # What was agreed: a fingerprint of the content as a reader sees it (see
    # wizard/agreement.py) and the version it was agreed at. Later edits of that content
    # show as "changed since it was agreed" until it is agreed again.
    agreed_fingerprint: Mapped[str | None] = mapped_column(String(64))
    agreed_version: Mapped[int | None]
    # The id of the administrator who chose to print this profile without the "not yet
    # agreed" line (None: a profile never agreed prints as a draft). Not a foreign key:
    # accounts already point at profiles, and a cycle would make deleting either awkward.
    print_unagreed_by: Mapped[int | None]
    # The wizard step to reopen at, so an interrupted profile resumes where it was left.
    step: Mapped[str] = mapped_column(String(40), default="about")
    # Raised by every change of content; a save made from an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="profile",
        order_by="Section.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    photo: Mapped[Photo | None] = relationship(
        back_populates="profile", cascade="all, delete-orphan", passive_deletes=True
    )
    reviews: Mapped[list[ProfileReview]] = relationship(
        back_populates="profile",
        order_by="ProfileReview.at.desc(), ProfileReview.id.desc()",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    # Every UPDATE checks the version it read; the version itself is raised by touch() only
    # when the content changed, so moving between steps never makes someone else's page stale.
    __mapper_args__: ClassVar = {"version_id_col": version, "version_id_generator": False}
    # SQLite would otherwise reuse a deleted profile's id, mixing two people in the audit log.
    __table_args__: ClassVar = {"sqlite_autoincrement": True}

    @validates("name", "preferred_name")
    def names(self, key: str, value: str) -> str:
        """Keep the folded names in step with the names as either is set."""
        both = {"name": self.name, "preferred_name": self.preferred_name, key: value}
        self.search_name = folded(" ".join(filter(None, both.values())))
        return value

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


class Section(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(30))
    # None prints the kind's default heading in the profile's language.
    heading: Mapped[str | None] = mapped_column(String(MAX_HEADING))
    position: Mapped[int]

    profile: Mapped[Profile] = relationship(back_populates="sections")
    statements: Mapped[list[Statement]] = relationship(
        back_populates="section",
        order_by="Statement.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Statement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    # Who added it through an invitation to contribute, such as "Ann Smith (daughter)";
    # None when staff wrote it.
    contributed_by: Mapped[str | None] = mapped_column(String(MAX_CONTRIBUTED_BY))
    # The same statement in every version of the profile, even once restored under a new
    # row id: what history compares and an undo puts back. The row id is what forms send.
    uid: Mapped[str] = mapped_column(String(32), default=new_uid)

    section: Mapped[Section] = relationship(back_populates="statements")


class Revision(db.Model):
    """The profile as one save left it: who saved it, when, and what they did.

    Kept with the profile, and gone with it: part of what is held about the person. A
    row of JSON without the photo's bytes (the photo is named by its hash).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    # The profile's version once this save was made.
    number: Mapped[int]
    # None for the command line and for someone with a link and no account.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # In plain words: "Changed", "Created", "Restored version 3".
    what: Mapped[str] = mapped_column(String(MAX_REVISION_WHAT), default="Changed")
    note: Mapped[str] = mapped_column(Text, default="")
    # document.revision_document(): the file format's content with each statement's uid.
    document: Mapped[dict[str, object]] = mapped_column(JSON)

    profile: Mapped[Profile] = relationship()

    # One revision per version: two saves of one version cannot both be kept.
    __table_args__: ClassVar = (UniqueConstraint("profile_id", "number"),)


class ProfileReview(db.Model):
    """One review of a profile with the person: who reviewed it and when, who took part,
    what was found, and when it is next due. Part of the profile's data: it goes with it."""

    __tablename__ = "profile_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    # Accounts are deactivated, never deleted, so no ON DELETE.
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    took_part: Mapped[str] = mapped_column(String(MAX_REVIEW_PEOPLE), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    next_due: Mapped[date]

    profile: Mapped[Profile] = relationship(back_populates="reviews")
    user: Mapped[User] = relationship()


class Photo(db.Model):
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(20))
    # Loaded only when used, so listing profiles does not read every image.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    width: Mapped[int]
    height: Mapped[int]
    # Alt text: read aloud by screen readers and tagged in the PDF.
    description: Mapped[str] = mapped_column(String(MAX_PHOTO_DESCRIPTION), default="")
    # Hash of the stored bytes, so render caching never re-reads the image.
    sha256: Mapped[str] = mapped_column(String(64))
    # A small copy for lists of profiles, made on first showing, and the hash of the photo
    # it was made from: a replaced photo's old thumbnail is never shown.
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    thumbnail_of: Mapped[str | None] = mapped_column(String(64))
    # How it prints (one of profiles.render.PHOTO_CROPS): the whole photo until the person
    # chooses.
    crop: Mapped[str] = mapped_column(String(10), default="whole", server_default="whole")

    profile: Mapped[Profile] = relationship(back_populates="photo")


class Branding(OrganisationScoped, db.Model):
    """An organisation's accent colour and logo, used by every layout it prints.

    A row of its own, made when an administrator first sets either: organisations that
    never do print in each layout's own colours, without a logo. The logo is checked and
    stored like a photo.
    """

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    # #rrggbb, dark enough to read on white paper; None prints each layout's own colours.
    accent: Mapped[str | None] = mapped_column(String(7))
    logo_media_type: Mapped[str | None] = mapped_column(String(20))
    # Loaded only when a page is laid out or the logo itself is asked for.
    logo_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_width: Mapped[int | None]
    logo_height: Mapped[int | None]
    # Alt text; empty reads as the organisation's name.
    logo_description: Mapped[str] = mapped_column(String(MAX_LOGO_DESCRIPTION), default="")
    # Hash of the stored bytes (None: no logo): a print's cache key names the logo by it.
    logo_sha256: Mapped[str | None] = mapped_column(String(64))


class RenderResult(db.Model):
    """The outcome of fitting one exact version of a profile: a PDF, or what to shorten.

    A profile keeps one result for each design and paper it was last printed in, and one
    for each version a share link shows (so that a link to the agreed version and the
    profile as it is now never push each other's print out).
    """

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    design: Mapped[str] = mapped_column(String(40))
    paper: Mapped[str] = mapped_column(String(10))

    # Two prints of one profile's versions at the same moment: the second to be kept waits
    # for the first, then finds its place taken.
    __table_args__: ClassVar = (UniqueConstraint("profile_id", "design", "paper", "version"),)
    # 0: the profile as it is; else the version of it printed (see printing.content_at).
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    font_size: Mapped[float | None]
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    overflow: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


AUDIT_ACTIONS = (
    "viewed",
    "created",
    "changed",
    "printed",
    "exported",
    "imported",
    "shared",
    # Someone outside the organisation opened a share link (the page or its PDF).
    "opened",
    "deleted",
)


# How long a link opened without an account (a share link, an invitation to contribute)
# works unless staff choose otherwise, and the longest it may.
LINK_DAYS = 14
MAX_LINK_DAYS = 90
# Wrong access codes a share link takes in its whole life before it takes no more: the
# per-address limits slow guessing down, this stops it over a link's 90 days.
MAX_CODE_FAILURES = 20


class OpenedByLink(OrganisationScoped):
    """What every link opened without an account has (see profiles.links): one profile,
    a token kept only as a hash, who made it and when, and when it stops working. Gone
    with its profile, in the database itself."""

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Who made it. Accounts are deactivated, never deleted, so no ON DELETE.
    created_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def is_live(self) -> bool:
        """Whether the link still works: not revoked, not expired."""
        return self.revoked_at is None and aware(self.expires_at) > utcnow()


class ShareLink(OpenedByLink, db.Model):
    """A read-only link to a profile for someone outside the organisation: a hospital on
    admission, a new school, a day centre.

    The link's token is kept only as a hash (see profiles.links), and its access code, if
    it has one, only as a slow hash: reading the database opens no profile.
    """

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the link opens without a code.
    code_hash: Mapped[str | None] = mapped_column(String(255))
    last_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Wrong access codes typed for the link, ever: at MAX_CODE_FAILURES it takes no more.
    code_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    # The version of the profile the link was made for, when it was made for an agreed
    # version; None shows the profile as it is now.
    version: Mapped[int | None]

    @property
    def locked(self) -> bool:
        """Whether the link takes no more access codes: too many wrong ones were typed."""
        return self.code_hash is not None and self.code_failures >= MAX_CODE_FAILURES


class AuditEvent(OrganisationScoped, db.Model):
    """Who did what to which profile, and when: ids only, never a name or what was written."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for the command line. Accounts are deactivated, never deleted, so no ON DELETE.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # Not a foreign key: the event outlives the profile, and deleting one is itself an event.
    profile_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class HeldChange(OrganisationScoped, db.Model):
    """A save that arrived after its session had ended, kept for its author to send again.

    Care workers are interrupted: a page left open past the idle limit must not cost them
    what they typed. Kept for a few days at most, and gone with the profile it was for.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    # The view the form was sent to, so it can be sent there again exactly as it was.
    endpoint: Mapped[str] = mapped_column(String(40))
    view_args: Mapped[dict[str, object]] = mapped_column(JSON)
    # The form's fields in order, as [name, value] pairs.
    fields: Mapped[list[list[str]]] = mapped_column(JSON)
    # What it would add or change, as [label, text] pairs: what the person is shown.
    typed: Mapped[list[list[str]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSession(db.Model):
    """What a browser's session holds; its cookie carries only a random id.

    Rows are found by a hash of that id, so that reading the database gives no one a
    session to use. Kept here unless sessions live in Redis (see accounts/sessions.py).
    """

    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's id
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # After this the session opens nothing, and forget_expired() deletes it.
    expiry: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# Which profiles are in which group. Deleting either side deletes the membership, in the
# database itself, so deleting a profile (or a group) needs nothing more.
group_member = Table(
    "group_member",
    db.metadata,
    Column("group_id", ForeignKey("profile_group.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "profile_id", ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Group(OrganisationScoped, db.Model):
    """Profiles printed together: a unit, a floor, a team."""

    # "group" is a reserved word in SQL.
    __tablename__ = "profile_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_GROUP_NAME))
    # The name as compared (see text.folded): "Rowan Unit" and "rowan unit" are one group.
    folded_name: Mapped[str] = mapped_column(String(4 * MAX_GROUP_NAME))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    profiles: Mapped[list[Profile]] = relationship(
        secondary=group_member, order_by="Profile.name", passive_deletes=True
    )

    __table_args__: ClassVar = (UniqueConstraint("organisation_id", "folded_name"),)

    @validates("name")
    def fold(self, key: str, value: str) -> str:
        """Keep the folded name in step with the name."""
        self.folded_name = folded(" ".join(value.split()))
        return value


JOB_STATES = ("queued", "running", "done", "failed", "cancelled")


class PrintJob(OrganisationScoped, db.Model):
    """Many profiles printed as one booklet, in the background: what was chosen, how far it
    has got, what could not be printed and why, and the booklet itself.

    Kept in the database, so progress survives a reload, a closed browser and a restarted
    server, and any web node can show it. Holds ids only, never a name or what was written.
    """

    __tablename__ = "print_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for the command line.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # What was chosen, in words without personal data: "Group: Rowan unit", "All staff".
    chosen: Mapped[str] = mapped_column(String(200))
    # The profiles to print, in the order they print (name order).
    profile_ids: Mapped[list[int]] = mapped_column(JSON)
    paper: Mapped[str] = mapped_column(String(10))
    blank_backs: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int]
    # What could not be printed and why: [{"profile_id": 12, "reason": "has no statements yet"}]
    failures: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    # Set as the job starts and as each profile is done: a job whose heartbeat stops has lost
    # its worker, and is shown as stopped rather than running for ever.
    heartbeat: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The booklet, read only when it is downloaded.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class ContributionInvite(OpenedByLink, db.Model):
    """A link that lets family, friends or colleagues add to one profile without an account.

    Its token is kept only as a hash (see links.py). It works until it expires or staff
    revoke it, and only for the profile it was made for.
    """

    __tablename__ = "contribution_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who it is for, in staff's words ("Margaret's family"); shown to staff only.
    label: Mapped[str] = mapped_column(String(MAX_INVITE_LABEL), default="")
    # Whether contributors may also suggest what is important to the person and how to
    # support them; what people appreciate about them is always asked.
    allow_suggestions: Mapped[bool] = mapped_column(Boolean, default=False)

    profile: Mapped[Profile] = relationship()


CONTRIBUTION_STATES = ("pending", "accepted", "declined")


class Contribution(OrganisationScoped, db.Model):
    """What someone wrote through an invitation, waiting for staff to accept or decline it.

    Kept after the decision, so the profile keeps who contributed what; gone with the
    profile.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    invite_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution_invite.id", ondelete="SET NULL"), index=True
    )
    contributor_name: Mapped[str] = mapped_column(String(MAX_CONTRIBUTOR))
    contributor_relationship: Mapped[str] = mapped_column(String(MAX_RELATIONSHIP))
    section_key: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def contributed_by(self) -> str:
        """The contributor as a statement credits them: "Ann Smith (daughter)"."""
        return f"{self.contributor_name} ({self.contributor_relationship})"
