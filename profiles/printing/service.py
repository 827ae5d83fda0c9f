"""Printing a profile: its document to the renderer, through the cache of earlier prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from ..document import photo_base64, profile_document
from ..extensions import db
from ..kinds import Kind
from ..models import Profile
from ..render import Outcome, cache_key, fit_within
from ..services import get_kind, keep_print, last_print_size, stored_print


def print_document(
    profile: Profile, *, design: str | None = None, paper: str | None = None
) -> dict[str, Any]:
    """The profile as the renderer prints it, in its own design and paper unless given.

    The photo is named by its hash: its bytes are read only when a page is laid out.
    """
    with db.session.no_autoflush:  # printing never writes what the caller has pending
        document = profile_document(profile, photo_data=False)
    document["layout"] = {
        "design": design or document["layout"]["design"],
        "paper": paper or document["layout"]["paper"],
    }
    return document


@dataclass(frozen=True)
class PrintWork:
    """What laying out one profile needs, gathered where the database is: laying it out
    (lay_out) then needs no database, so it can run in any thread."""

    profile_id: int
    key: str
    document: dict[str, Any]
    kind: Kind
    start: float | None

    @property
    def layout(self) -> dict[str, str]:
        return self.document["layout"]


def prepare_print(
    profile: Profile, *, design: str | None = None, paper: str | None = None
) -> Outcome | PrintWork:
    """The result kept for exactly this content, or what laying it out needs."""
    document = print_document(profile, design=design, paper=paper)
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
    if "photo" in document:
        with db.session.no_autoflush:
            document["photo"] = {**document["photo"], "data": photo_base64(profile)}
    start = last_print_size(profile.id, layout["design"], layout["paper"])
    return PrintWork(profile.id, key, document, kind, start)


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
    )


def print_profile(
    profile: Profile, *, design: str | None = None, paper: str | None = None
) -> Outcome:
    """Fit the profile on one page, or reuse the result kept for exactly this content.

    Laying out takes place in a child process within PROFILES_RENDER_TIMEOUT seconds; past
    that render.RenderTimedOut is raised and nothing is kept. It starts at the size the
    profile last printed at: after a small change, that is usually the size still.
    """
    work = prepare_print(profile, design=design, paper=paper)
    if isinstance(work, Outcome):
        return work
    outcome = lay_out(work, current_app.config["RENDER_TIMEOUT"])
    keep(work, outcome)
    return outcome
