"""Printing a profile: its document to the renderer, through the cache of earlier prints."""

from __future__ import annotations

import base64
import copy
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..document import photo_base64, profile_document
from ..extensions import db
from ..kinds import Kind
from ..models import Branding, Organisation, Profile, Revision
from ..render import Outcome, cache_key, fit_within
from ..services import get_kind, keep_print, last_print_size, stored_print


def print_document(
    profile: Profile,
    *,
    design: str | None = None,
    paper: str | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """The profile as the renderer prints it, in its own design and paper unless given,
    with how its photo is cropped and its organisation's accent colour and logo; as it is
    now, or as it was at one of its versions (see content_at).

    The photo and logo are named by their hashes: their bytes are read only when a page is
    laid out. A profile never agreed is marked a draft. What is added here prints but is
    never exported: the file format is the
    profile's, and the organisation that prints it may not be the one that made it.
    """
    with db.session.no_autoflush:  # printing never writes what the caller has pending
        if version is None:
            document = profile_document(profile, photo_data=False)
            if profile.photo is not None:
                document["photo"]["crop"] = profile.photo.crop
        else:
            document = content_at(profile, version)
        if "photo" in document:
            photo = profile.photo
            document["photo"].update(width=photo.width, height=photo.height)
        branding = print_branding(profile.organisation_id)
    document["layout"] = {
        "design": design or document["layout"]["design"],
        "paper": paper or document["layout"]["paper"],
    }
    if branding:
        document["branding"] = branding
    if version is None and profile.consent_self is None and profile.print_unagreed_by is None:
        # Never agreed, and no administrator has said otherwise: it prints as a draft. In
        # the document, so the print's cache key covers it: an agreed profile never gets
        # the draft's PDF.
        document["draft"] = True
    return document


def content_at(profile: Profile, version: int) -> dict[str, Any]:
    """The profile's content as its revision of this version kept it, in the file format
    (the photo by its hash, with its crop).

    The photo prints only while the profile still has that same photo: a revision keeps
    the photo's hash, not its bytes.
    """
    revision = db.session.scalar(
        select(Revision).where(Revision.profile_id == profile.id, Revision.number == version)
    )
    if revision is None:
        raise LookupError(f"The profile has no version {version}")
    document = copy.deepcopy(revision.document)
    document.pop("consent", None)
    for section in document["sections"]:
        section.pop("uids", None)
    kept = document.get("photo")
    if kept and (profile.photo is None or profile.photo.sha256 != kept.get("sha256")):
        del document["photo"]
    return document


def with_images(document: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """The print document with the bytes of its photo and logo, as laying it out needs."""
    with db.session.no_autoflush:
        if "photo" in document:
            document = {**document, "photo": {**document["photo"], "data": photo_base64(profile)}}
        if "logo" in document.get("branding", {}):
            logo = {**document["branding"]["logo"], "data": logo_base64(profile.organisation_id)}
            document = {**document, "branding": {**document["branding"], "logo": logo}}
    return document


def print_branding(organisation_id: int) -> dict[str, Any]:
    """The organisation's accent colour and logo as the renderer takes them ({} for none).

    A logo without a description is read as the organisation's name.
    """
    branding = db.session.get(Branding, organisation_id)
    if branding is None:
        return {}
    printed: dict[str, Any] = {}
    if branding.accent:
        printed["accent"] = branding.accent
    if branding.logo_sha256:
        name = db.session.get(Organisation, organisation_id).name
        printed["logo"] = {
            "media_type": branding.logo_media_type,
            "sha256": branding.logo_sha256,
            "description": branding.logo_description or name,
        }
    return printed


def logo_base64(organisation_id: int) -> str:
    """The organisation's logo as base64 text, as the print carries it."""
    return base64.b64encode(db.session.get(Branding, organisation_id).logo_data).decode("ascii")


@dataclass(frozen=True)
class PrintWork:
    """What laying out one profile needs, gathered where the database is: laying it out
    (lay_out) then needs no database, so it can run in any thread."""

    profile_id: int
    key: str
    document: dict[str, Any]
    kind: Kind
    start: float | None
    version: int | None = None  # None: the profile as it is

    @property
    def layout(self) -> dict[str, str]:
        return self.document["layout"]


def prepare_print(
    profile: Profile,
    *,
    design: str | None = None,
    paper: str | None = None,
    version: int | None = None,
) -> Outcome | PrintWork:
    """The result kept for exactly this content, or what laying it out needs."""
    document = print_document(profile, design=design, paper=paper, version=version)
    layout = document["layout"]
    kind = get_kind(profile.kind)
    key = cache_key(document, kind, owner=profile.id)
    stored = stored_print(key)
    if stored is not None:
        return Outcome(
            fits=stored.pdf is not None,
            paper=layout["paper"],
            pdf=stored.pdf,
            font_size=stored.font_size,
            overflow=stored.overflow or [],
            cached=True,
        )
    start = last_print_size(profile.id, layout["design"], layout["paper"])
    return PrintWork(profile.id, key, with_images(document, profile), kind, start, version)


def lay_out(work: PrintWork, seconds: float) -> Outcome:
    """Fit the profile in a child process (see render.fit_within); touches no database."""
    return fit_within(work.document, work.kind, seconds, start=work.start)


def keep(work: PrintWork, outcome: Outcome) -> None:
    """Keep what laying out gave, for the next print of the same content."""
    keep_print(
        work.key,
        work.profile_id,
        work.layout["design"],
        work.layout["paper"],
        font_size=outcome.font_size,
        pdf=outcome.pdf,
        overflow=None if outcome.fits else outcome.overflow,
        version=work.version,
    )


def print_profile(
    profile: Profile,
    *,
    design: str | None = None,
    paper: str | None = None,
    version: int | None = None,
) -> Outcome:
    """Fit the profile on one page, or reuse the result kept for exactly this content.

    Laying out takes place in a child process within PROFILES_RENDER_TIMEOUT seconds; past
    that render.RenderTimedOut is raised and nothing is kept. It starts at the size the
    profile last printed at: after a small change, that is usually the size still.
    """
    work = prepare_print(profile, design=design, paper=paper, version=version)
    if isinstance(work, Outcome):
        return work
    outcome = lay_out(work, current_app.config["RENDER_TIMEOUT"])
    keep(work, outcome)
    return outcome
