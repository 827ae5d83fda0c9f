"""Reviews: which profiles are due to be looked at again with the person.

A profile that is out of date can harm someone, so each carries a review date; this is
where "due" is decided, for the command line and for printing everyone due at once.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint
from sqlalchemy import Select, select

from ..models import Profile

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

# How far ahead "due for review" looks.
REVIEW_WINDOW = timedelta(days=30)


def due_by(today: date | None = None) -> date:
    """Reviews due on or before this day are due now."""
    return (today or date.today()) + REVIEW_WINDOW


def due_for_review(today: date | None = None) -> Select:
    """The profiles overdue or due within the window, oldest first (then by name and id)."""
    return (
        select(Profile)
        .where(Profile.review_due.is_not(None), Profile.review_due <= due_by(today))
        .order_by(Profile.review_due, Profile.search_name, Profile.id)
    )


from . import routes  # noqa: E402, F401
