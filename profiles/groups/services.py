"""Finding, making and changing groups of profiles."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select

from ..extensions import db
from ..models import Group, Profile, group_member
from ..services import current_organisation_id
from ..text import folded


def fold_name(name: str) -> str:
    """A group's name as two names are compared: no case, accents or doubled spaces."""
    return folded(" ".join(name.split()))


def by_name(profiles: list[Profile]) -> list[Profile]:
    """Profiles in the order people look for them, the same on every database."""
    return sorted(profiles, key=lambda p: (folded(p.name), p.id))


def groups_with_counts() -> list[tuple[Group, int]]:
    """Every group of the organisation with how many profiles it holds, by name."""
    query = (
        select(Group, func.count(group_member.c.profile_id))
        .outerjoin(group_member, group_member.c.group_id == Group.id)
        .group_by(Group.id)
        .order_by(Group.folded_name)
    )
    return [(group, count) for group, count in db.session.execute(query).all()]


def get_group(group_id: int) -> Group:
    """The organisation's group with this id, or a 404 page."""
    group = db.session.scalar(select(Group).where(Group.id == group_id))
    if group is None:
        abort(404)
    return group


def find_group(name: str) -> Group | None:
    """The organisation's group with this name, however it is spelt as to case and accents."""
    return db.session.scalar(select(Group).where(Group.folded_name == fold_name(name)))


def name_taken(name: str, but: Group | None = None) -> bool:
    """Whether another group of the organisation already has this name."""
    found = find_group(name)
    return found is not None and found is not but


def create_group(name: str) -> Group:
    """A new, empty group, with its id."""
    group = Group(organisation_id=current_organisation_id(), name=" ".join(name.split()))
    db.session.add(group)
    db.session.flush()
    return group


def rename_group(group: Group, name: str) -> None:
    group.name = " ".join(name.split())


def delete_group(group: Group) -> None:
    """Delete the group; its profiles stay as they are."""
    db.session.delete(group)


def all_profiles() -> list[Profile]:
    """Every profile of the organisation, by name: what a group can be made of."""
    return by_name(list(db.session.scalars(select(Profile))))


def set_members(group: Group, profile_ids: list[int]) -> None:
    """Make the group hold exactly these profiles of the organisation.

    The ids are looked up through the organisation's own profiles, so no other
    organisation's profile can ever join.
    """
    wanted = set(profile_ids)
    group.profiles = [p for p in all_profiles() if p.id in wanted]


def group_names(profile_ids: list[int]) -> dict[int, list[str]]:
    """The names of the groups each of these profiles is in, by profile id."""
    if not profile_ids:
        return {}
    query = (
        select(group_member.c.profile_id, Group.name)
        .join(Group, Group.id == group_member.c.group_id)
        .where(group_member.c.profile_id.in_(profile_ids))
        .order_by(Group.folded_name)
    )
    names: dict[int, list[str]] = {}
    for profile_id, name in db.session.execute(query).all():
        names.setdefault(profile_id, []).append(name)
    return names
