"""Keeping what someone typed when their session ended before they saved it.

A form sent after the idle limit cannot be saved: the person must sign in again first.
Its fields are kept for them instead, and after signing in they see what they typed and
send it again with one button, through the same checks as any save (including whether
someone else changed the profile in the meantime).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, request
from flask_login import current_user
from sqlalchemy import delete, select
from werkzeug.exceptions import RequestEntityTooLarge

from ..extensions import db
from ..models import HeldChange, User, utcnow

# The forms where people write at length. Never a form with a password.
HELD_ENDPOINTS = {"wizard.start", "wizard.step"}
KEEP_DAYS = 7
# Fields that steer the form rather than hold anything typed.
NOT_TYPED = {"csrf_token", "action", "version", "held_change"}
FIELD = "held_change"


def init_app(app: Flask) -> None:
    app.after_request(forget_sent)


def hold(user: User) -> bool:
    """Keep this request's form for its author, if it is a form worth keeping; committed."""
    if request.method != "POST" or request.endpoint not in HELD_ENDPOINTS:
        return False
    try:
        fields = [[name, value] for name, value in request.form.items(multi=True)]
    except RequestEntityTooLarge:
        return False  # nothing of it was read; the person is told the file is too large
    if not any(value.strip() for name, value in fields if name not in NOT_TYPED):
        return False
    fields = [[name, value] for name, value in fields if name not in ("csrf_token", FIELD)]
    profile_id = (request.view_args or {}).get("profile_id")
    db.session.add(
        HeldChange(user_id=user.id, profile_id=profile_id, path=request.path, fields=fields)
    )
    db.session.commit()
    return True


def waiting(user: User) -> list[HeldChange]:
    """The person's kept changes, newest first; those past KEEP_DAYS are deleted."""
    db.session.execute(
        delete(HeldChange).where(HeldChange.created_at < utcnow() - timedelta(days=KEEP_DAYS))
    )
    db.session.commit()
    query = select(HeldChange).where(HeldChange.user_id == user.id)
    return list(db.session.scalars(query.order_by(HeldChange.id.desc())))


def find(user: User, held_id: int) -> HeldChange | None:
    return db.session.scalar(
        select(HeldChange).where(HeldChange.id == held_id, HeldChange.user_id == user.id)
    )


def typed(change: HeldChange) -> list[str]:
    """What the person typed, in the order of the form, for them to recognise."""
    return [value for name, value in change.fields if name not in NOT_TYPED and value.strip()]


def forget_sent(response: Response) -> Response:
    """Forget a kept change once it is sent again and saved, or shown again as stale.

    Any other answer (a problem to correct, an error) keeps it, so it can be sent again.
    """
    done = response.status_code in (302, 303, 409)
    if request.method != "POST" or not done or not current_user.is_authenticated:
        return response
    try:
        held_id = request.form.get(FIELD, "")
    except RequestEntityTooLarge:
        return response
    if held_id.isdigit():
        change = find(current_user, int(held_id))
        if change is not None:
            db.session.delete(change)
            db.session.commit()
    return response
