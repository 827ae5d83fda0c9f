"""Who is signed in, and the organisation every query is scoped to."""

from __future__ import annotations

from flask import Flask, flash, redirect, request, url_for
from flask_login import current_user, login_url, user_logged_in
from sqlalchemy import select

from ..extensions import db, login_manager
from ..models import Organisation, User
from ..services import act_for, every_organisation, unit_of_work
from . import held, sessions

# Pages anyone may open: signing in (and a forgotten password), setting up a fresh install,
# and where links land (a contributor's link checks its own token).
PUBLIC = {
    "accounts.sign_in",
    "accounts.forgotten_password",
    "accounts.sign_in_link_sent",
    "accounts.setup",
    "staff.open_link",
    "staff.accept",
    "contributions.contribute",
    "contributions.thanks",
    "sharing.shared",
    "sharing.shared_page",
    "sharing.shared_pdf",
    "static",
}
# The home page: where people open the app, and where signing in leads by default.
HOME = "library.index"
# Responses that are files, not pages: without a session they get 401, not a redirect.
NOT_PAGES = {
    "printing.pdf",
    "transfer.export",
    "library.photo",
    "rights.everything",
    "audit.download",
    "organisations.logo",
    "batch.booklet",
    # Asked for by a page following a print run's progress.
    "batch.progress",
    # Sent by a page while someone types, to say they are still there.
    "accounts.still_here",
}


def init_app(app: Flask) -> None:
    """Require signing in everywhere but the public pages."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    sessions.init_app(app)
    user_logged_in.connect(act_for_new_session, app)
    app.before_request(require_sign_in)
    held.init_app(app)


def load_user(user_id: str) -> User | None:
    """The user a session names, if the account is active and that session still valid."""
    number, _, version = user_id.partition(".")
    if not number.isdigit() or not version.isdigit():
        return None
    with every_organisation():  # whose organisation it is, is what this finds out
        user = db.session.get(User, int(number))
    if user is None or not user.active or user.session_version != int(version):
        return None
    act_for(user.organisation_id)  # everything this request reads is of their organisation
    return user


def act_for_new_session(sender: Flask, user: User) -> None:
    """Someone who has just signed in acts for their organisation for the rest of the request."""
    act_for(user.organisation_id)


def require_sign_in():
    """Send a fresh install to set-up and everyone else, when signed out or idle, to sign in."""
    if request.endpoint in PUBLIC:
        return None
    if db.session.scalar(select(Organisation.id).limit(1)) is None:
        return redirect(url_for("accounts.setup"))
    if not current_user.is_authenticated:
        if request.endpoint in NOT_PAGES:
            return "Sign in to get this file.", 401
        if request.endpoint == HOME:
            # Someone opening the app, not a page they were sent to: a welcome, no warning.
            return redirect(url_for(login_manager.login_view))
        return login_manager.unauthorized()
    if sessions.left_idle():
        if request.endpoint == "accounts.still_here":
            # Too late to keep the session: leave ending it to the page's own save, which
            # keeps what was typed. The page is told why, so it can say what will happen.
            return "", 401, {"X-Signed-Out": "idle"}
        # Care homes share devices: a page left open must not stay signed in. What was
        # being sent is kept for its author, who can send it again after signing in.
        with unit_of_work():  # this request ends here: what is kept is saved now
            kept = held.hold(current_user._get_current_object())
        flash(sessions.end_idle_session(kept), "info")
        if request.endpoint in NOT_PAGES:
            return "Sign in to get this file.", 401
        return redirect(login_url(login_manager.login_view, request.url))
    if request.endpoint != "batch.progress":
        # A page following a print run asks by itself: that is nobody being there.
        sessions.note_activity()
    return None
