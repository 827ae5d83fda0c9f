"""Keeping what someone typed when their session ended before they saved it.

A form sent after the idle limit cannot be saved: the person must sign in again first.
If it would change a profile, it is kept for them instead, and after signing in they see
what they typed and send it again with one button, through the same checks as any save
(a profile someone else changed in the meantime shows both versions).
"""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Flask,
    Response,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import delete, func, select
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import BuildError

from ..extensions import db
from ..models import MAX_ID, HeldChange, User, utcnow
from ..services import every_organisation, find_profile
from ..wizard.unsaved import typed_changes

# The forms where people write at length. Never a form with a password.
HELD_ENDPOINTS = {"wizard.start", "wizard.step"}
KEEP_DAYS = 7
FIELD = "held_change"


def init_app(app: Flask) -> None:
    """Run after signing in is checked: a kept change may be sent again only once."""
    app.before_request(refuse_repeat)
    app.after_request(say_saved)
    app.context_processor(waiting_count)


def waiting_count() -> dict[str, int]:
    """How many kept changes the signed-in person has, for the reminder on every page."""
    if (
        not has_request_context()
        or not current_user.is_authenticated
        or request.endpoint in ("accounts.unsaved", "accounts.discard_unsaved")
    ):
        return {"unsaved_changes": 0}
    query = select(func.count(HeldChange.id)).where(*_recent(current_user))
    return {"unsaved_changes": db.session.scalar(query)}


def _recent(user: User) -> tuple:
    """The conditions for the person's kept changes that have not expired."""
    cutoff = utcnow() - timedelta(days=KEEP_DAYS)
    return HeldChange.user_id == user.id, HeldChange.created_at >= cutoff


def _form():
    """The request's form, or None when its body is too large to have been read."""
    try:
        return request.form
    except RequestEntityTooLarge:
        return None


def hold(user: User) -> bool:
    """Keep this request's form for its author if it would change something."""
    if request.method != "POST" or request.endpoint not in HELD_ENDPOINTS:
        return False
    view_args = dict(request.view_args or {})
    profile = None
    if "profile_id" in view_args:
        profile = find_profile(view_args["profile_id"])
        if profile is None:
            return False
    form = _form()
    if form is None:
        return False
    typed = typed_changes(profile, view_args.get("step"), form)
    if not typed:
        return False
    fields = [[name, value] for name, value in form.items(multi=True)]
    purge_expired()
    db.session.add(
        HeldChange(
            organisation_id=user.organisation_id,
            user_id=user.id,
            profile_id=profile.id if profile else None,
            endpoint=request.endpoint,
            view_args=view_args,
            fields=[pair for pair in fields if pair[0] not in ("csrf_token", FIELD)],
            typed=typed,
        )
    )
    return True


def purge_expired() -> None:
    """Delete every kept change older than KEEP_DAYS, anyone's in any organisation."""
    cutoff = utcnow() - timedelta(days=KEEP_DAYS)
    with every_organisation():
        db.session.execute(delete(HeldChange).where(HeldChange.created_at < cutoff))


def waiting(user: User) -> list[HeldChange]:
    """The person's kept changes from the last KEEP_DAYS, newest first."""
    query = select(HeldChange).where(*_recent(user)).order_by(HeldChange.id.desc())
    return list(db.session.scalars(query))


def find(user: User, held_id: int) -> HeldChange | None:
    return db.session.scalar(
        select(HeldChange).where(HeldChange.id == held_id, HeldChange.user_id == user.id)
    )


def forget(user: User) -> None:
    """Delete everything kept for an account, as when it is deactivated."""
    db.session.execute(delete(HeldChange).where(HeldChange.user_id == user.id))


def replay_url(change: HeldChange) -> str | None:
    """Where to send the change again, or None if that page no longer exists."""
    try:
        return url_for(change.endpoint, **change.view_args)
    except BuildError:
        return None


def _sent_id() -> int | None:
    """The kept change this request sends again, if it is one."""
    if request.method != "POST" or not current_user.is_authenticated:
        return None
    form = _form()
    held_id = form.get(FIELD, "") if form is not None else ""
    # A number too large for the column is no kept change: the database would refuse it.
    return int(held_id) if held_id.isdigit() and int(held_id) <= MAX_ID else None


def refuse_repeat():
    """Claim the kept change this request sends again, so it is saved once at most.

    The claim deletes the row in the request's own unit of work: a save commits the two
    together, and a second send (a double click, Back, another tab) finds nothing to claim,
    waiting on the first where the database locks rows. A page shown again with a problem
    to correct holds the text, so the claim is kept with it; an error keeps nothing, so
    the change stays kept.
    """
    held_id = _sent_id()
    if held_id is None:
        return None
    claimed = db.session.execute(
        delete(HeldChange).where(HeldChange.id == held_id, HeldChange.user_id == current_user.id)
    ).rowcount
    if claimed:
        g.held_claimed = held_id
        return None
    flash(
        "That change is no longer waiting: it was already saved or discarded. Check the "
        "profile to see what it holds now.",
        "info",
    )
    if request.endpoint == "wizard.step":
        return redirect(request.path)  # the step the change was for
    return redirect(url_for("library.index"))


def say_saved(response: Response) -> Response:
    """Once a kept change sent again has been saved (the page moves on), say so."""
    if g.get("held_claimed") is not None and response.status_code in (302, 303):
        flash("Your unsaved change is saved.", "success")
    return response
