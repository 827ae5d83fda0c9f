"""Saving each wizard step: every save bumps the profile's version; a section's save merges
with what others saved since its page was opened, and other steps refuse a stale save."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..facts import arrange_facts, relabel
from ..kinds import FactDef
from ..models import MAX_STATEMENTS, AuditEvent, Photo, Profile, Section, Statement, User
from ..photos import CleanPhoto
from ..render import PHOTO_CROPS
from ..services import flush_or_stale, get_kind, touch


def save_about(
    profile: Profile, name: str, preferred_name: str, written_by: str, language: str
) -> None:
    """Change who the profile is about and whose voice it is in."""
    profile.name = name
    profile.preferred_name = preferred_name
    profile.written_by = written_by
    if language != profile.language:
        # The key facts print in the profile's language, as its headings do.
        profile.facts = relabel(profile.facts or [], get_kind(profile.kind).facts, language)
    profile.language = language


def save_facts(
    profile: Profile,
    declared: tuple[FactDef, ...],
    values: dict[str, str],
    others: list[dict[str, str]],
) -> None:
    """Keep the key facts as the file format carries them: the kind's own that are filled
    in, in its order and labelled in the profile's language, then any others."""
    profile.facts = arrange_facts(values, others, declared, profile.language)


def save_consent(
    profile: Profile, agreed_self: bool | None, by: str, relationship: str, on: date | None
) -> None:
    """Record who agreed to the profile being made and shared, and when."""
    profile.consent_self = agreed_self
    profile.consent_by = by
    # A relationship only means something when someone acted for the person.
    profile.consent_relationship = relationship if agreed_self is False else ""
    profile.consent_date = on


def print_without_draft_line(profile: Profile, administrator_id: int | None) -> None:
    """An administrator's choice that a profile never agreed prints without the "Draft: not
    yet agreed" line (their id), or with it again (None); its version is named for it."""
    profile.print_unagreed_by = administrator_id
    if administrator_id is not None:
        touch(profile, "Printed without the draft line")
    else:
        touch(profile, "Prints with the draft line again")


@dataclass(frozen=True)
class Posted:
    """A statement as a page sent it back: its id, its text now, and its text as the page
    showed it (None when the page did not say)."""

    id: str
    text: str
    base: str | None


@dataclass(frozen=True)
class Conflict:
    """A statement, or the heading (id None), that two people changed to different words."""

    id: str | None
    mine: str
    theirs: str


@dataclass
class SectionSave:
    """What a section's save did: what waits for the person to choose, and what it refused."""

    conflicts: list[Conflict] = field(default_factory=list)
    # New statements not saved, because the section holds as many as it can.
    refused: list[str] = field(default_factory=list)
    # The statements the section holds, counted in the same transaction as the save.
    count: int = 0

    @property
    def complete(self) -> bool:
        return not self.conflicts and not self.refused


def three_way(mine: str, base: str | None, theirs: str) -> tuple[str, bool]:
    """(text to keep, whether the two changes conflict), from a page's text, the text it
    was opened with, and the text saved now.

    Whoever changed it wins over whoever did not; two different changes are a conflict,
    for the person to settle, and the saved text stays until they do. Without a base,
    any difference is a conflict: guessing could lose someone's words.
    """
    if mine in (theirs, base):
        return theirs, False
    if theirs == base:
        return mine, False
    return theirs, True


def save_section(
    section: Section,
    heading: tuple[str, str | None],
    posted: list[Posted],
    new_texts: list[str],
    default_heading: str,
) -> SectionSave:
    """Apply a section step to the section as it is saved now, whatever page it came from.

    Each statement and the heading are merged with what someone else saved since the page
    was opened (see three_way): both people's changes to different statements are kept,
    statements they added are all kept, and a statement both changed is left for the
    person to choose. An edit to a statement someone else removed is kept as a new
    statement, so no text is lost. New statements go at the end, unless they would take
    the section over its limit: then none of them is saved, and the page keeps them.
    Order is kept as saved: moves are made by id (apply_statement_action).
    """
    done = SectionSave()
    mine, base = heading
    theirs = section.heading or default_heading
    kept, conflict = three_way(mine or default_heading, base, theirs)
    if conflict:
        done.conflicts.append(Conflict(None, mine, theirs))
    new_heading = None if kept == default_heading else kept
    if section.heading != new_heading:
        section.heading = new_heading
    existing = {str(st.id): st for st in section.statements}
    additions = []
    for page in posted:
        statement = existing.get(page.id)
        if statement is None:
            if page.text != page.base:
                additions.append(page.text)
            continue
        kept, conflict = three_way(page.text, page.base, statement.text)
        if conflict:
            done.conflicts.append(Conflict(page.id, page.text, statement.text))
        elif statement.text != kept:
            statement.text = kept
    additions.extend(new_texts)
    ordered = list(section.statements)
    if additions and len(ordered) + len(additions) > MAX_STATEMENTS:
        done.refused = additions
    else:
        ordered.extend(Statement(text=text) for text in additions)
    for position, statement in enumerate(ordered):
        if statement.position != position:
            statement.position = position
    section.statements = ordered
    done.count = len(ordered)
    return done


def last_change(profile_id: int) -> tuple[str, datetime] | None:
    """Who last saved a change to the profile, and when, from the audit trail; None when
    the trail does not say (a change made from the command line records nobody)."""
    query = (
        select(User.name, AuditEvent.at)
        .join(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.profile_id == profile_id, AuditEvent.action == "changed")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    with db.session.no_autoflush:
        row = db.session.execute(query).first()
    return (row[0], row[1]) if row else None


def apply_statement_action(section: Section, verb: str, statement_id: str) -> bool:
    """Move a statement up or down, or remove it; False when it no longer exists."""
    statements = list(section.statements)
    index = next((i for i, st in enumerate(statements) if str(st.id) == statement_id), None)
    if index is None:
        return False
    if verb == "remove":
        statements.pop(index)
    else:
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(statements):
            statements[index], statements[other] = statements[other], statements[index]
    for position, statement in enumerate(statements):
        statement.position = position
    section.statements = statements
    return True


def save_photo(
    profile: Profile, clean: CleanPhoto | None, description: str, crop: str | None = None
) -> None:
    """Store a new photo (already checked and cleaned), its description and how it prints.

    A new photo prints whole until a crop is chosen for it: a crop chosen while looking at
    the old photo says nothing about the new one.
    """
    if clean is not None:
        if profile.photo is None:
            profile.photo = Photo(description="")
        profile.photo.media_type = clean.media_type
        profile.photo.data = clean.data
        profile.photo.width = clean.width
        profile.photo.height = clean.height
        profile.photo.sha256 = clean.sha256
        # The old photo's small copy goes with it: it is that photo too.
        profile.photo.thumbnail = profile.photo.thumbnail_of = None
        profile.photo.crop = "whole"
    elif profile.photo is not None and crop in PHOTO_CROPS:
        profile.photo.crop = crop
    if profile.photo is not None:
        profile.photo.description = description


def remove_photo(profile: Profile) -> None:
    """Take the photo off the profile."""
    profile.photo = None


def save_review(profile: Profile, design: str, paper: str, review_due: date | None) -> None:
    """The design and paper to print in, and the date to review the profile by."""
    profile.design = design
    profile.paper = paper
    profile.review_due = review_due


def wait_for_other_saves(profile: Profile) -> None:
    """Wait for any other save of this profile to be committed, and keep later ones waiting
    until this one is, then read the profile again: saves of one profile go one at a time,
    so that none needs making again. PostgreSQL locks the profile's row; SQLite, which
    locks the whole database for a writer, takes that lock now rather than at the first
    write. A save that still loses a race is made again (see routes.saved_meanwhile).
    """
    db.session.flush()  # anything this request has changed so far is kept, not expired
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        dbapi = connection.connection.dbapi_connection
        if not dbapi.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        db.session.expire_all()
    db.session.refresh(profile, with_for_update=True)


def finish_step(profile: Profile, next_step: str, changed: bool = True) -> None:
    """Write everything changed on this step and remember where to resume.

    Two saves of the same version at the same moment: the database lets only one through,
    and the other is refused as stale, like any save made from an older page.
    """
    profile.step = next_step
    if changed:
        touch(profile)
    flush_or_stale()
