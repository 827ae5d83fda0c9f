"""Saving each wizard step: every save bumps the profile's version, or is refused as stale."""

from __future__ import annotations

from datetime import date

from ..facts import arrange_facts, relabel
from ..kinds import FactDef
from ..models import Photo, Profile, Section, Statement
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


def save_section(
    section: Section, heading: str, edits: list[tuple[str, str]], new_texts: list[str]
) -> list[Statement]:
    """Apply a section step: its heading, edited statements in order, then the new ones.

    An edit whose statement has meanwhile been removed by someone else is kept as a new
    statement, so no text is lost.
    """
    section.heading = heading or None
    existing = {str(st.id): st for st in section.statements}
    ordered = []
    for statement_id, text in edits:
        statement = existing.pop(statement_id, None) or Statement()
        statement.text = text
        ordered.append(statement)
    ordered.extend(Statement(text=text) for text in new_texts)
    # Statements not in the submitted page were added elsewhere since it opened: keep them.
    ordered.extend(existing.values())
    for position, statement in enumerate(ordered):
        statement.position = position
    section.statements = ordered
    return ordered


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


def finish_step(profile: Profile, next_step: str, changed: bool = True) -> None:
    """Write everything changed on this step and remember where to resume.

    Two saves of the same version at the same moment: the database lets only one through,
    and the other is refused as stale, like any save made from an older page.
    """
    profile.step = next_step
    if changed:
        touch(profile)
    flush_or_stale()
