"""Invitations: a signed, single-use link that lets a new member of staff choose a password.

The link carries the account's id and session version, signed and dated. Accepting it
raises the session version, so the same link never works twice, and a fresh invitation
makes every earlier link for that account useless.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.message import EmailMessage

from flask import Response, current_app, make_response, session, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..accounts.passwords import hash_password
from ..extensions import db
from ..models import Organisation, User

VALID_DAYS = 7
SALT = "staff-invitation"
# An account that has been invited but has not chosen a password yet has no usable hash.
NOT_SET = ""


class InvitationError(Exception):
    """The link is not one we made, has expired, or has been used."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def invite(organisation: Organisation, email: str, name: str, role: str) -> User:
    """A new account waiting for its person to accept (not yet committed)."""
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
    return url_for("staff.accept", token=token, _external=True)


def invited_user(token: str) -> tuple[User, str]:
    """The account this link is for and its purpose ("join" or "reset"), or
    InvitationError with the reason."""
    try:
        payload, signed_at = _serializer().loads(
            token, max_age=VALID_DAYS * 24 * 3600, return_timestamp=True
        )
        user_id, version, purpose = (*payload, "join")[:3]
    except SignatureExpired:
        raise InvitationError("expired") from None
    except (BadSignature, ValueError, TypeError):
        raise InvitationError("not valid") from None
    if purpose == "reset" and time.time() - signed_at.timestamp() > RESET_HOURS * 3600:
        raise InvitationError("expired")
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None or user.session_version != version:
        raise InvitationError("used")
    # A reset link only for an account still in use; an invitation only until accepted.
    if is_pending(user) != (purpose == "join") or (purpose == "reset" and not user.active):
        raise InvitationError("used")
    return user, purpose


def accept(user: User, name: str, password: str) -> None:
    """The person chose their password: the account is active and the link used up."""
    user.name = name.strip()
    user.password_hash = hash_password(password)
    user.active = True
    user.session_version += 1


def is_pending(user: User) -> bool:
    return user.password_hash == NOT_SET


@dataclass(frozen=True)
class Invitation:
    """A link made for someone, and what became of emailing it."""

    user: User
    link: str
    # "sent", "failed", or "" when no mail server is configured.
    mail: str

    # For someone who already has an account and has forgotten their password.
    reset: bool = False

    @property
    def lasts(self) -> str:
        return f"{RESET_HOURS} hours" if self.reset else f"{VALID_DAYS} days"


def send(user: User) -> Invitation:
    """Make the account's link and email it when a mail server is configured.

    A mail server that cannot be reached is not an error for the person inviting: the link
    is shown to copy either way, and the page says the email did not go.
    """
    made = Invitation(user, invitation_link(user), "", reset=not is_pending(user))
    if not current_app.config.get("SMTP_HOST"):
        return made
    try:
        _email(made)
    except OSError as exc:  # smtplib's own errors are OSErrors too
        # The kind of failure only: the address is personal data and stays out of logs.
        current_app.logger.warning("An invitation email could not be sent: %s", type(exc).__name__)
        return replace(made, mail="failed")
    return replace(made, mail="sent")


def _email(invitation: Invitation) -> None:
    config = current_app.config
    user, organisation = invitation.user, invitation.user.organisation.name
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM", "no-reply@localhost")
    message["To"] = user.email
    if invitation.reset:
        message["Subject"] = f"A link to choose a new password for {organisation}"
        opening = (
            f"Your administrator made this link so that you can choose a new password for "
            f"One-Page Profiles at {organisation}."
        )
    else:
        message["Subject"] = f"You are invited to One-Page Profiles for {organisation}"
        opening = (
            f"You have been invited to One-Page Profiles for {organisation}. "
            "Open this link to choose your password."
        )
    message.set_content(
        f"Hello {user.name},\n\n{opening} It works once, for {invitation.lasts}:\n\n"
        f"{invitation.link}\n\nIf you did not expect this, ignore this email.\n"
    )
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT", 587)), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS", True):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)


SHOWN = "invitation_shown"


def remember(invitation: Invitation) -> None:
    """Show this link on the next page, so the page that shows it can be reloaded safely.

    The link itself is kept (in the signed, HttpOnly session, until that page is shown),
    so the one shown is the one emailed.
    """
    session[SHOWN] = [invitation.user.id, invitation.link, invitation.mail]


def recall(find: Callable[[int], User | None]) -> Invitation | None:
    """The link remembered for this page, once; find limits whose it may be."""
    shown = session.pop(SHOWN, None)
    user = find(shown[0]) if shown else None
    if user is None:
        return None
    return Invitation(user, shown[1], shown[2], reset=not is_pending(user))


def not_kept(page: str, code: int) -> Response:
    """A page that may show a live link: browsers must not keep it for Back to show again."""
    response = make_response(page, code)
    response.headers["Cache-Control"] = "no-store"
    return response
