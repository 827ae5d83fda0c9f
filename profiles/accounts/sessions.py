"""Sessions: they end after a spell without a request, and their cookie is Secure over HTTPS."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import logout_user, user_logged_in

LAST_SEEN = "last_seen"
# The cookie outlives the idle limit by this much, so that the next visit can say why the
# person was signed out, and a page sent on their return is kept for them (with it its form
# token stays valid); the server ends the session at the idle limit all the same.
NOTICE_PERIOD = timedelta(hours=24)
# Posting these changes nothing that could be lost by being signed out.
NOTHING_TO_SAVE = {"accounts.sign_out", "accounts.sign_out_everywhere"}


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with a Secure cookie whenever the request came by HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app)) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    """End sessions left for SESSION_IDLE_MINUTES, and send the cookie Secure over HTTPS."""
    minutes = app.config["SESSION_IDLE_MINUTES"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
        raise ValueError(
            "SESSION_IDLE_MINUTES (PROFILES_SESSION_IDLE_MINUTES) must be a whole number of "
            f"minutes, such as 30, not {minutes!r}."
        )
    app.session_interface = SessionInterface()
    app.permanent_session_lifetime = timedelta(minutes=minutes) + NOTICE_PERIOD
    user_logged_in.connect(start_session, app)


def start_session(sender: Flask, **extra) -> None:
    """On signing in: a cookie with an expiry date, and the idle clock started afresh."""
    session.permanent = True
    note_activity()


def note_activity() -> None:
    """Remember that this session made a request now."""
    session[LAST_SEEN] = int(time.time())


def left_idle() -> bool:
    """Whether this session went longer than SESSION_IDLE_MINUTES without a request."""
    last_seen = session.get(LAST_SEEN)
    limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    return isinstance(last_seen, int | float) and time.time() - last_seen > limit


def end_idle_session(kept: bool = False) -> str:
    """Sign out and forget this session; returns the message that says why.

    kept: what was being sent is kept for the person to send again after signing in.
    """
    logout_user()
    # The form token stays: a page still open in another tab can then be sent after its
    # person signs in again here, rather than be refused as expired with its text.
    token = session.get("csrf_token")
    session.clear()
    if token:
        session["csrf_token"] = token
    minutes = current_app.config["SESSION_IDLE_MINUTES"]
    left = f"the page was left for {minutes} minute{'' if minutes == 1 else 's'}"
    if kept:
        return (
            f"You were signed out because {left}, so your last change is not saved yet. "
            "What you typed is kept: sign in again and you can save it."
        )
    if request.method == "POST" and request.endpoint not in NOTHING_TO_SAVE:
        return (
            f"You were signed out because {left}, so your last change was not saved. "
            "Sign in again to carry on, then make the change again."
        )
    return f"You were signed out because {left}. Sign in again to carry on."
