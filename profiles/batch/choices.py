"""Which profiles a print run takes: a group, all residents, all staff, all due for review."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..groups.services import by_name, get_group
from ..models import Profile
from ..reviews import due_by
from ..text import folded

# Kinds that are not about a resident: a member of staff, a team.
NOT_RESIDENTS = ("staff", "team")
EVERYONE = {
    "residents": "All residents",
    "staff": "All staff: a “meet the team” booklet",
    "review": "Everyone due for review",
}


def choose(choice: str) -> tuple[str, list[int]]:
    """What was chosen in words without personal data, and the profiles' ids in name order.

    choice is "residents", "staff", "review" or "group-ID" (404 for another's group).
    """
    query = select(Profile.id, Profile.name)
    if choice.startswith("group-"):
        group = get_group(int(choice.removeprefix("group-")))
        return f"Group: {group.name}", [p.id for p in by_name(group.profiles)]
    if choice == "residents":
        query = query.where(Profile.kind.not_in(NOT_RESIDENTS))
    elif choice == "staff":
        query = query.where(Profile.kind == "staff")
    elif choice == "review":
        query = query.where(Profile.review_due <= due_by())
    else:
        raise ValueError(f"There is no choice called '{choice}'")
    rows = sorted(db.session.execute(query).all(), key=lambda row: (folded(row.name), row.id))
    return EVERYONE[choice], [row.id for row in rows]
