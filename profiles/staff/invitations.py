"""Invitations: a signed, single-use link that lets a new member of staff choose a password.

The link carries the account's id and session version, signed and dated. Accepting it
raises the session version, so the same link never works twice, and a fresh invitation
makes every earlier link for that account useless.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app, url_for
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


def invitation_link(user: User) -> str:
    """The full address to send or copy: valid for 7 days, once."""
    token = _serializer().dumps([user.id, user.session_version])
    return url_for("staff.accept", token=token, _external=True)


def invited_user(token: str) -> User:
    """The account this link invites, or InvitationError with the reason."""
    try:
        user_id, version = _serializer().loads(token, max_age=VALID_DAYS * 24 * 3600)
    except SignatureExpired:
        raise InvitationError("expired") from None
    except (BadSignature, ValueError, TypeError):
        raise InvitationError("not valid") from None
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None or user.session_version != version or user.password_hash != NOT_SET:
        raise InvitationError("used")
    return user


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


def send(user: User) -> Invitation:
    """Make the account's link and email it when a mail server is configured.

    A mail server that cannot be reached is not an error for the person inviting: the link
    is shown to copy either way, and the page says the email did not go.
    """
    link = invitation_link(user)
    if not current_app.config.get("SMTP_HOST"):
        return Invitation(user, link, "")
    try:
        _email(user, link)
    except OSError as exc:  # smtplib's own errors are OSErrors too
        # The kind of failure only: the address is personal data and stays out of logs.
        current_app.logger.warning("An invitation email could not be sent: %s", type(exc).__name__)
        return Invitation(user, link, "failed")
    return Invitation(user, link, "sent")


def _email(user: User, link: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = f"You are invited to One-Page Profiles for {user.organisation.name}"
    message["From"] = config.get("MAIL_FROM", "no-reply@localhost")
    message["To"] = user.email
    message.set_content(
        f"Hello {user.name},\n\nYou have been invited to One-Page Profiles for "
        f"{user.organisation.name}. Open this link to choose your password. It works once, "
        f"for {VALID_DAYS} days:\n\n{link}\n\nIf you did not expect this, ignore this email.\n"
    )
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT", 587)), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS", True):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
