"""Creating organisations and accounts, and checking who is signing in."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import MAX_SLUG, Organisation, Profile, User
from ..services import create_profile, every_organisation, find_profile
from .passwords import hash_password, needs_rehash, verify_password


@cache
def _nobody() -> str:
    # Checked against when the email is unknown, so a wrong address takes as long as a
    # wrong password and does not reveal who has an account.
    return hash_password("no account has this password")


def slugify(name: str) -> str:
    """A short web-safe name from an organisation's name: 'Riverside Care' -> 'riverside-care'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MAX_SLUG]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_organisation(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def find_user(email: str) -> User | None:
    """The account with this email address, however it was typed, in any organisation.

    Addresses are unique across the install: signing in finds the account before anyone's
    organisation is known.
    """
    with every_organisation():
        return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email: str) -> bool:
    return find_user(email) is not None


def create_organisation(name: str, slug: str = "") -> Organisation:
    """A new organisation."""
    organisation = Organisation(name=name.strip(), slug=slug or slugify(name))
    db.session.add(organisation)
    return organisation


def create_user(
    organisation: Organisation, email: str, name: str, password: str, role: str = "staff"
) -> User:
    """A new account in an organisation."""
    user = User(
        organisation=organisation,
        email=normalise_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
    )
    db.session.add(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None."""
    user = find_user(email)
    if user is None:
        verify_password(_nobody(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def end_every_session(user: User) -> None:
    """Sign the account out on every device, by retiring its sessions' ids."""
    user.session_version += 1


def change_password(user: User, password: str) -> None:
    """Set a new password and end every session signed in with the old one."""
    user.password_hash = hash_password(password)
    end_every_session(user)


def own_staff_profile(user: User) -> Profile | None:
    """The person's own staff profile, if they keep one in their organisation."""
    return find_profile(user.staff_profile_id) if user.staff_profile_id else None


def unclaimed_staff_profiles() -> list[Profile]:
    """The organisation's staff profiles that no account calls its own yet, by name."""
    claimed = select(User.staff_profile_id).where(User.staff_profile_id.is_not(None))
    query = select(Profile).where(Profile.kind == "staff", Profile.id.not_in(claimed))
    return list(db.session.scalars(query.order_by(Profile.name)))


class StaffProfileTaken(Exception):
    """Someone else said the staff profile was theirs in the same moment."""


def claim_staff_profile(user: User, profile_id: int) -> None:
    """Link one of the organisation's unclaimed staff profiles to the person's account."""
    user.staff_profile_id = profile_id
    try:
        db.session.flush()
    except IntegrityError:
        raise StaffProfileTaken from None


def start_staff_profile(user: User) -> Profile:
    """A new staff profile about the person, in their own voice, linked to them."""
    profile = create_profile("staff", user.name, written_by=user.name)
    db.session.flush()
    user.staff_profile_id = profile.id
    return profile
