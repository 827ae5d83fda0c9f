"""Service functions shared by every area: finding, creating and changing profiles."""

from __future__ import annotations

from flask import abort, current_app, g
from sqlalchemy import func, select

from .extensions import db
from .kinds import Kind
from .models import Profile, Section, utcnow


class StaleProfileError(Exception):
    """Someone else saved the profile since this page was opened."""


def all_kinds() -> dict[str, Kind]:
    return current_app.extensions["profile_kinds"]


def get_kind(key: str) -> Kind:
    return all_kinds()[key]


def current_organisation_id() -> int:
    """The organisation this request (or command) acts for; never guessed."""
    organisation_id = g.get("organisation_id")
    if organisation_id is None:
        raise RuntimeError("No organisation is chosen for this request or command")
    return organisation_id


def profile_query():
    """Every query for profiles starts here, so no view can see another organisation's."""
    return select(Profile).where(Profile.organisation_id == current_organisation_id())


def profile_counts() -> dict[int, int]:
    """How many profiles each organisation has, by organisation id.

    The one query about profiles that is not scoped to an organisation: it reads counts
    only, for the administrator of the whole install, never a profile.
    """
    query = select(Profile.organisation_id, func.count(Profile.id))
    return dict(db.session.execute(query.group_by(Profile.organisation_id)).all())


def find_profile(profile_id: int) -> Profile | None:
    """The profile with this id, or None."""
    return db.session.scalars(profile_query().where(Profile.id == profile_id)).first()


def get_profile(profile_id: int) -> Profile:
    """The profile with this id, or a 404 page."""
    profile = find_profile(profile_id)
    if profile is None:
        abort(404)
    return profile


def create_profile(
    kind: str, name: str, preferred_name: str | None = "", written_by: str | None = ""
) -> Profile:
    """A new draft profile with the kind's sections, empty and in their default order."""
    profile = Profile(
        organisation_id=current_organisation_id(),
        kind=kind,
        name=name.strip(),
        # A form without the optional boxes sends nothing for them.
        preferred_name=(preferred_name or "").strip(),
        written_by=(written_by or "").strip(),
    )
    profile.sections = [
        Section(key=s.key, position=i) for i, s in enumerate(get_kind(kind).sections)
    ]
    db.session.add(profile)
    return profile


def check_version(profile: Profile, version: int | None) -> None:
    """Refuse a save made from a page older than the profile."""
    if version is not None and version != profile.version:
        raise StaleProfileError


def touch(profile: Profile) -> None:
    """Mark the profile changed: a new version, and the time of the change."""
    profile.version = (profile.version or 0) + 1
    profile.updated_at = utcnow()
