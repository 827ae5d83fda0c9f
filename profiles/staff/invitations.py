"""Invitations: a signed, single-use link that lets a new member of staff choose a password.

The link carries the account's id and session version, signed and dated. Accepting it
raises the session version, so the same link never works twice, and a fresh invitation
makes every earlier link for that account useless.

The token is in the link's address only until the link is opened: it is checked then, what
it proves is kept in the browser's session, and the browser is sent on to an address
without it (see exchange()), so that the page where the password is chosen, and the log
lines of every request after the first, hold no working link.
"""

from __future__ import annotations

import time

from flask import current_app, session, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..accounts.passwords import hash_password
from ..extensions import db
from ..models import Organisation, User
from ..services import every_organisation

VALID_DAYS = 7
SALT = "staff-invitation"
# An account that has been invited but has not chosen a password yet has no usable hash.
NOT_SET = ""


class InvitationError(Exception):
    """The link is not one we made, has expired, or has been used."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def invite(organisation: Organisation, email: str, name: str, role: str) -> User:
    """A new account waiting for its person to accept."""
    user = User(
        organisation=organisation,
        email=email.strip().lower(),
        name=name.strip(),
        role=role,
        password_hash=NOT_SET,
        active=False,
    )
    db.session.add(user)
    return user


def renew(user: User) -> None:
    """Make earlier links for this account useless; a new one is made from the account."""
    user.session_version += 1


# A link for someone who already has an account, to choose a new password: it opens an
# account that can already see profiles, so it lasts a day, not a week.
RESET_HOURS = 24


def invitation_link(user: User) -> str:
    """The full address to send or copy: a pending account's invitation, or for an active
    account a link to choose a new password. Either works once."""
    purpose = "join" if is_pending(user) else "reset"
    token = _serializer().dumps([user.id, user.session_version, purpose])
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    if base:
        return base + url_for("staff.open_link", token=token)
    return url_for("staff.open_link", token=token, _external=True)  # shown, never emailed


# Where the session keeps an opened link: what its token proved, or why it did not work.
OPENED = "link_opened"


def _read(token: str) -> tuple[int, int, str, float]:
    """What a token says: account id, session version, purpose, and when it was made."""
    try:
        payload, signed_at = _serializer().loads(
            token, max_age=VALID_DAYS * 24 * 3600, return_timestamp=True
        )
        user_id, version, purpose = (*payload, "join")[:3]
    except SignatureExpired:
        raise InvitationError("expired") from None
    except (BadSignature, ValueError, TypeError):
        raise InvitationError("not valid") from None
    return user_id, version, purpose, signed_at.timestamp()


def _check(user_id: int, version: int, purpose: str, signed_at: float) -> tuple[User, str]:
    """The account a link was made for and its purpose, if the link still works now."""
    limit = RESET_HOURS * 3600 if purpose == "reset" else VALID_DAYS * 24 * 3600
    if time.time() - signed_at > limit:
        raise InvitationError("expired")
    with every_organisation():  # the person opening it is not signed in yet
        user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None or user.session_version != version:
        raise InvitationError("used")
    # A reset link only for an account still in use; an invitation only until accepted.
    if is_pending(user) != (purpose == "join") or (purpose == "reset" and not user.active):
        raise InvitationError("used")
    return user, purpose


def exchange(token: str) -> None:
    """A link has just been opened: keep in this browser's session what its token proves,
    or why it does not work. The token itself is never kept, shown or sent back."""
    try:
        user_id, version, purpose, signed_at = _read(token)
        _check(user_id, version, purpose, signed_at)
    except InvitationError as exc:
        session[OPENED] = str(exc)
        return
    session[OPENED] = [user_id, version, purpose, signed_at]


def opened_link() -> tuple[User, str]:
    """The account and purpose of the link opened in this browser, checked again now, or
    InvitationError: "missing" when no link was opened here."""
    opened = session.get(OPENED)
    if opened is None:
        raise InvitationError("missing")
    if isinstance(opened, str):
        raise InvitationError(opened)
    return _check(*opened)


def forget_opened_link() -> None:
    session.pop(OPENED, None)


def accept(user: User, name: str, password: str) -> None:
    """The person chose their password: the account is active and the link used up."""
    user.name = name.strip()
    user.password_hash = hash_password(password)
    user.active = True
    user.session_version += 1


def is_pending(user: User) -> bool:
    return user.password_hash == NOT_SET
