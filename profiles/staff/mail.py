"""Emailing a link to the person it was made for, when a mail server is set up."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from ..models import User


def mail_configured() -> bool:
    """Whether links are emailed: a mail server, and the app's own address for the links
    (a request's host can be forged, and an emailed link must lead only here)."""
    return bool(current_app.config.get("SMTP_HOST") and current_app.config.get("BASE_URL"))


def email_link(user: User, link: str, lasts: str, reset: bool, asked: bool = False) -> bool:
    """Email the link; False (logged by kind only) when the mail server cannot take it.

    A mail server that cannot be reached is not an error for the person who made the link:
    it is shown to them to copy either way, and the page says the email did not go.
    asked: the person asked for this link themselves (a forgotten password), so it is never
    shown, and no administrator made it.
    """
    try:
        _send(user, link, lasts, reset, asked)
    except OSError as exc:  # smtplib's own errors are OSErrors too
        # The kind of failure only: the address is personal data and stays out of logs.
        current_app.logger.warning("An invitation email could not be sent: %s", type(exc).__name__)
        return False
    return True


def _send(user: User, link: str, lasts: str, reset: bool, asked: bool) -> None:
    config = current_app.config
    organisation = user.organisation.name
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM", "no-reply@localhost")
    message["To"] = user.email
    if asked:
        message["Subject"] = f"A link to choose a new password for {organisation}"
        opening = (
            f"Someone asked for a link to choose a new password for One-Page Profiles at "
            f"{organisation}, with this email address. If it was you, open this link. If it "
            "was not, ignore this email: your password stays the same."
        )
    elif reset:
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
        f"Hello {user.name},\n\n{opening} It works once, for {lasts}:\n\n"
        f"{link}\n\nIf you did not expect this, ignore this email.\n"
    )
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT", 587)), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS", True):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
