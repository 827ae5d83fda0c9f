"""Reading a profile's revisions, restoring one, and putting back a removed statement.

Nothing here overwrites history: a restore or an undo is itself a new revision (made by
services.touch), so every earlier version stays to be compared and restored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort, session
from sqlalchemy import select

from ..extensions import db
from ..models import MAX_STATEMENTS, Profile, Revision, Section, Statement, User, aware
from ..services import get_kind, touch

NOBODY = "Not signed in (the command line or a link)"


@dataclass(frozen=True)
class Entry:
    """One revision as people read it, with the name of whoever saved it."""

    number: int
    at: datetime
    by: str
    what: str
    note: str


def history(profile: Profile) -> list[Entry]:
    """The profile's revisions, newest first, without their documents."""
    rows = db.session.execute(
        select(Revision.number, Revision.at, Revision.user_id, Revision.what, Revision.note)
        .where(Revision.profile_id == profile.id)
        .order_by(Revision.number.desc())
    ).all()
    # Only this organisation's people: the scope applies to accounts as to profiles.
    people = dict(db.session.execute(select(User.id, User.name)).all())
    return [
        Entry(row.number, row.at, people.get(row.user_id, NOBODY), row.what, row.note)
        for row in rows
    ]


def history_json(profile: Profile) -> str:
    """Every revision, oldest first, for the person's copy of everything held about them:
    who saved it (by name), when (UTC), what they did, and the profile as it then was."""
    people = dict(db.session.execute(select(User.id, User.name)).all())
    revisions = db.session.scalars(
        select(Revision).where(Revision.profile_id == profile.id).order_by(Revision.number)
    )
    kept = [
        {
            "version": revision.number,
            "at": aware(revision.at).isoformat(timespec="seconds"),
            "by": people.get(revision.user_id, NOBODY),
            "what": revision.what,
            "note": revision.note,
            "profile": revision.document,
        }
        for revision in revisions
    ]
    return json.dumps(kept, ensure_ascii=False, indent=2) + "\n"


def get_revision(profile: Profile, number: int) -> Revision:
    """One of the profile's revisions, or a 404 page."""
    revision = db.session.scalar(
        select(Revision).where(Revision.profile_id == profile.id, Revision.number == number)
    )
    if revision is None:
        abort(404)
    return revision


def default_heading(profile: Profile) -> Callable[[str], str]:
    """How a section that keeps its kind's own heading is named, in the profile's language."""
    headings = {s.key: s.heading(profile.language) for s in get_kind(profile.kind).sections}
    return lambda key: headings.get(key, key)


def restore(profile: Profile, revision: Revision) -> bool:
    """Make an earlier version's content the profile's content, as a new revision.

    Restored: the names, whose voice, language, key facts, headings and statements (each
    statement keeping its uid and who contributed it), and the photo's description and crop
    if the photo is still the same one. The design, paper, review date and agreement stay as
    they are: they are choices about printing and reviewing now. True when the photo differs
    from the one that version had, so the current one was kept.
    """
    doc = revision.document
    profile.name = doc["name"]
    profile.preferred_name = doc.get("preferred_name", "")
    profile.written_by = doc.get("written_by", "")
    profile.language = doc.get("language", profile.language)
    profile.facts = [{"label": f["label"], "value": f["value"]} for f in doc.get("facts", [])]
    restore_sections(profile, doc.get("sections", []))
    photo_kept = restore_photo(profile, doc.get("photo"))
    touch(profile, f"Restored version {revision.number}")
    return photo_kept


# What a restore leaves as it is now: choices about printing, reviewing and agreement.
KEPT_AS_NOW = ("layout", "review_due", "consent")


def as_restored(current: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
    """The revision document the profile will have once the version `kept` is restored over
    the `current` one: what restore() brings back from it, the rest as it is now. Compared
    with the current one, it lists exactly what a restore changes."""
    doc = {key: value for key, value in kept.items() if key not in KEPT_AS_NOW}
    doc.update({key: current[key] for key in KEPT_AS_NOW if key in current})
    doc["language"] = kept.get("language", current.get("language"))
    photo, now = kept.get("photo"), current.get("photo")
    doc.pop("photo", None)
    if photo is not None and now is not None and photo.get("sha256") == now.get("sha256"):
        description, crop = photo.get("description", ""), photo.get("crop", now.get("crop"))
        doc["photo"] = {**now, "description": description, "crop": crop}
    elif now is not None:
        doc["photo"] = now  # not the photo that version had: the current one stays as it is
    keys = {section["key"] for section in kept.get("sections", [])}
    doc["sections"] = list(kept.get("sections", [])) + [
        section for section in current.get("sections", []) if section["key"] not in keys
    ]
    return doc


def restore_sections(profile: Profile, kept: list[dict[str, Any]]) -> None:
    """Each section as the version had it; a section it did not have goes after, as it is."""
    order = []
    for saved in kept:
        section = profile.section(saved["key"])
        if section is None:
            section = Section(key=saved["key"], position=len(profile.sections))
            profile.sections.append(section)
        section.heading = saved.get("heading") or None
        uids = saved.get("uids") or [None] * len(saved["items"])
        current = {st.uid: st for st in section.statements}
        statements = []
        for position, (uid, text) in enumerate(zip(uids, saved["items"], strict=True)):
            statement = current.pop(uid, None) or Statement(**({"uid": uid} if uid else {}))
            statement.text = text
            statement.position = position
            if "by" in saved:  # a version kept before credits were: the statement keeps its own
                statement.contributed_by = saved["by"][position]
            statements.append(statement)
        section.statements = statements
        order.append(section)
    order += [s for s in profile.sections if s not in order]
    for position, section in enumerate(order):
        section.position = position
    profile.sections = order


def restore_photo(profile: Profile, photo: dict[str, Any] | None) -> bool:
    """The photo's description and crop, if it is still the photo the version had; True
    when it is not (or the version had none), so the current photo stays as it is."""
    current = profile.photo
    if photo is None and current is None:
        return False
    if photo is None or current is None or photo.get("sha256") != current.sha256:
        return True
    current.description = photo.get("description", "")
    current.crop = photo.get("crop", current.crop)
    return False


@dataclass(frozen=True)
class Removed:
    """A statement as a revision held it."""

    key: str  # its section's
    before: list[str]  # the uids before it there
    text: str
    contributed_by: str | None  # who contributed it, if it came through an invitation


def removed_statement(revision: Revision, uid: str) -> Removed | None:
    """Where a statement stood in a revision, what it said and who contributed it; None if
    that revision does not hold it."""
    for section in revision.document.get("sections", []):
        uids = section.get("uids") or []
        if uid in uids:
            index = uids.index(uid)
            by = section.get("by") or [None] * len(uids)
            return Removed(section["key"], uids[:index], section["items"][index], by[index])
    return None


class CannotPutBack(Exception):
    """The statement cannot be put back; the message says why and what to do."""


def put_back(profile: Profile, uid: str, number: int) -> Section:
    """Put a removed statement back where it stood in revision `number`, as a new revision.

    It goes just after the statement that stood before it, if that is still there (else
    first), with its uid, the text it had before it was removed and who contributed it.
    """
    revision = db.session.scalar(
        select(Revision).where(Revision.profile_id == profile.id, Revision.number == number)
    )
    found = removed_statement(revision, uid) if revision is not None else None
    section = profile.section(found.key) if found else None
    if found is None or section is None:
        raise CannotPutBack(
            "That statement could not be put back. You can find it in the profile's history "
            "and restore the version that had it."
        )
    statements = list(section.statements)
    if any(st.uid == uid for st in statements):
        raise CannotPutBack("That statement is already back in the profile.")
    if len(statements) >= MAX_STATEMENTS:
        raise CannotPutBack(
            f"A section can hold up to {MAX_STATEMENTS} statements, so that statement could "
            "not be put back. Remove one first, then find it in the profile's history."
        )
    at = {st.uid: i for i, st in enumerate(statements)}
    index = max((at[u] + 1 for u in found.before if u in at), default=0)
    statements.insert(
        index, Statement(uid=uid, text=found.text, contributed_by=found.contributed_by)
    )
    for position, statement in enumerate(statements):
        statement.position = position
    section.statements = statements
    touch(profile, "Put back a removed statement")
    return section


# Where the session keeps the offer to undo a removal, for the page that follows it only.
UNDO = "undo_removal"


def offer_undo(profile_id: int, step: str, uid: str, number: int) -> None:
    """Offer, on the next showing of this step, to put back a statement just removed from
    version `number`. Only ids and numbers are kept: never what the statement said."""
    session[UNDO] = {"profile_id": profile_id, "step": step, "uid": uid, "number": number}


def say_put_back(profile_id: int, step: str) -> None:
    """Say, on the next showing of this step, where the removal was offered to be undone,
    that the statement is back."""
    session[UNDO] = {"profile_id": profile_id, "step": step, "put_back": True}


def take_undo(profile: Profile, step: str) -> dict[str, Any] | None:
    """The offer to undo a removal (or the word that it is undone), if it is for this step
    of this profile; shown once."""
    offer = session.pop(UNDO, None)
    if offer and offer.get("profile_id") == profile.id and offer.get("step") == step:
        return offer
    return None
