"""Finding profiles, serving their photos and deleting them."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..batch.jobs import forget_jobs_of
from ..extensions import db
from ..models import Profile, Section
from ..text import folded

THUMBNAIL_SIDE = 160


PER_PAGE = 50
MAX_PAGE = 100_000


def find_profiles(search: str = "", page: int = 1):
    """One page (a Pagination) of profiles, most recently changed first, whose names hold
    every word searched for, whatever the accents and case.

    The photos are loaded with the page (their details, never their bytes), and the
    statements too (to tell whether each is still as agreed), so a page takes the same few
    queries however many profiles it shows.
    """
    query = (
        select(Profile)
        .options(
            selectinload(Profile.photo),
            selectinload(Profile.sections).selectinload(Section.statements),
        )
        .order_by(Profile.updated_at.desc(), Profile.id.desc())
    )
    for word in folded(search).split():
        query = query.where(Profile.search_name.contains(word, autoescape=True))
    page = min(max(page, 1), MAX_PAGE)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False, count=True)


def thumbnail(data: bytes) -> bytes:
    """A small JPEG of a stored photo, light enough for a list on poor Wi-Fi."""
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        # Transparent parts show as white, as on the page, not black.
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.convert("RGBA").getchannel("A"))
        out = io.BytesIO()
        flat.save(out, "JPEG", quality=80)
        return out.getvalue()


def delete_profile(profile: Profile) -> None:
    """Delete a profile with its sections, statements, photo, history and rendered PDFs
    (the database cascades), and the print runs whose booklets hold its page."""
    forget_jobs_of(profile.id)
    db.session.delete(profile)
