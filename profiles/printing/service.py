"""Printing a profile: its document to the renderer, through the cache of earlier prints."""

from __future__ import annotations

from typing import Any

from flask import current_app

from ..document import photo_base64, profile_document
from ..extensions import db
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


def print_profile(
    profile: Profile, *, design: str | None = None, paper: str | None = None
) -> Outcome:
    """Fit the profile on one page, or reuse the result kept for exactly this content.

    Laying out takes place in a child process within PROFILES_RENDER_TIMEOUT seconds; past
    that render.RenderTimedOut is raised and nothing is kept. It starts at the size the
    profile last printed at: after a small change, that is usually the size still.
    """
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
    last = last_print_size(profile.id, layout["design"], layout["paper"])
    outcome = fit_within(document, kind, current_app.config["RENDER_TIMEOUT"], start=last)
    keep_print(
        key,
        profile.id,
        layout["design"],
        layout["paper"],
        font_size=outcome.font_size,
        pdf=outcome.pdf,
        overflow=None if outcome.fits else outcome.overflow,
    )
    return outcome
