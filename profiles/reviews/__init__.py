"""Reviews: which profiles are due to be looked at again with the person.

A profile that is out of date can harm someone, so each carries a review date; this is
where "due" is decided, for the command line and for printing everyone due at once.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlalchemy import Select, select

from ..models import Profile

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


def months_after(day: date, months: int) -> date:
    """The same day so many months later; the month's last day where it is shorter
    (31 August and six months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(review_months: int, today: date | None = None) -> date:
    """When a profile reviewed (or made) today is next due: its kind's period from today."""
    return months_after(today or date.today(), review_months)
