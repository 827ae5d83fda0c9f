"""Reviews: the profiles due, and marking one reviewed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Profile, ProfileReview
from ..services import flush_or_stale, touch
from . import due_for_review


def due_and_overdue(today: date | None = None) -> tuple[list[Profile], list[Profile]]:
    """(overdue, due within the window), each oldest first: the same profiles, in the same
    order, as `flask --app profiles reviews-due` lists."""
    today = today or date.today()
    profiles = db.session.scalars(due_for_review(today)).all()
    overdue = [p for p in profiles if p.review_due < today]
    return overdue, [p for p in profiles if p.review_due >= today]


def undated() -> list[Profile]:
    """The profiles with no review date, by name: never due, so listed on their own."""
    query = select(Profile).where(Profile.review_due.is_(None))
    return list(db.session.scalars(query.order_by(Profile.search_name, Profile.id)))


def mark_reviewed(
    profile: Profile, user_id: int, took_part: str, note: str, next_due: date
) -> ProfileReview:
    """Keep the review with the profile and move its review date on.

    A review is a change to the profile like any other: it makes a new version, so the
    profile's history shows it and a page opened before it knows it is out of date; and,
    like any save, it is refused as stale (StaleProfileError) when another save of the
    profile lands in the same instant.
    """
    review = ProfileReview(user_id=user_id, took_part=took_part, note=note, next_due=next_due)
    profile.reviews.insert(0, review)
    profile.review_due = next_due
    touch(profile, "Reviewed", note=note)
    flush_or_stale()
    return review
