"""Handing a link over: emailed to its person, and shown once to whoever made it; or, for
someone who has forgotten their password and asked for one, emailed only.

The link is kept (in the session, on the server, until the next page shows it) so that
the page showing it can be reloaded safely, and the link shown is the one emailed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, session

from ..accounts.services import find_user
from ..models import User
from ..services import once_saved
from .invitations import RESET_HOURS, VALID_DAYS, invitation_link, is_pending
from .mail import email_link, mail_configured

SHOWN = "invitation_shown"


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


def hand_over(user: User) -> None:
    """Make the account's link and keep it for the next page; once the account is saved,
    email it too when mail is set up, and note for that page whether the email went."""
    made = Invitation(user, invitation_link(user), "", reset=not is_pending(user))
    session[SHOWN] = [user.id, made.link, made.mail]
    if mail_configured():

        def send() -> None:
            sent = email_link(user, made.link, made.lasts, made.reset)
            session[SHOWN] = [user.id, made.link, "sent" if sent else "failed"]

        once_saved(send)


def recall(find: Callable[[int], User | None]) -> Invitation | None:
    """The link kept for this page, once; find limits whose it may be."""
    shown = session.pop(SHOWN, None)
    user = find(shown[0]) if shown else None
    if user is None:
        return None
    return Invitation(user, shown[1], shown[2], reset=not is_pending(user))


def email_sign_in_link(email: str) -> None:
    """Someone asked for a link to choose a new password: once this request is saved, email
    one to the address if it is an account's that can sign in; nothing otherwise. The link is
    never shown, and whoever asked is told the same either way."""
    user = find_user(email)
    if user is None or is_pending(user) or not user.active:
        current_app.logger.info("A sign-in link was asked for an address that cannot sign in")
        return
    # Ids only: which account was sent a link, for whoever runs the installation.
    current_app.logger.info("A sign-in link was asked for and emailed to account %s", user.id)
    link = invitation_link(user)
    once_saved(lambda: email_link(user, link, f"{RESET_HOURS} hours", reset=True, asked=True))
