"""Finding profiles, serving their photos and deleting them."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import or_, select

from ..extensions import db
from ..models import Profile

THUMBNAIL_SIDE = 160


def find_profiles(search: str = "") -> list[Profile]:
    """Profiles, most recently changed first, whose name contains the search words."""
    query = select(Profile).order_by(Profile.updated_at.desc(), Profile.id.desc())
    for word in search.lower().split():
        query = query.where(
            or_(
                db.func.lower(Profile.name).contains(word, autoescape=True),
                db.func.lower(Profile.preferred_name).contains(word, autoescape=True),
            )
        )
    return list(db.session.scalars(query))


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
    """Delete a profile with its sections, statements, photo and rendered PDFs."""
    db.session.delete(profile)
