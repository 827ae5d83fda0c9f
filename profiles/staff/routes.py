"""Views for administrators managing staff, and for accepting an invitation."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..accounts import held
from ..extensions import db
from ..models import User
from ..security import administrators_only, not_kept
from . import bp, links
from . import invitations as invites
from .forms import AcceptForm, InviteForm


def colleague(user_id: int) -> User | None:
    """An account of the administrator's own organisation."""
    return db.session.scalar(select(User).where(User.id == user_id))


def organisation_user(user_id: int) -> User:
    """An account of the administrator's own organisation, or 404."""
    user = colleague(user_id)
    if user is None:
        abort(404)
    return user


def staff_page(form: InviteForm, code: int = 200):
    people = db.session.scalars(select(User).order_by(User.name))
    page = render_template(
        "staff/index.html",
        form=form,
        people=list(people),
        invitation=links.recall(colleague),
        is_pending=invites.is_pending,
        action_form=FlaskForm(),
    )
    return not_kept(page, code)


@bp.route("/staff", methods=["GET", "POST"])
@administrators_only
def index():
    """The organisation's accounts, and a form to invite someone."""
    form = InviteForm()
    if form.validate_on_submit():
        user = invites.invite(
            current_user.organisation, form.email.data, form.name.data, form.role.data
        )
        db.session.flush()  # gives the account its id, which the link carries
        links.hand_over(user)
        return redirect(url_for(".index"))
    return staff_page(form, code=400 if form.errors else 200)


@bp.route("/staff/<id:user_id>/invite-again", methods=["POST"])
@administrators_only
def invite_again(user_id: int):
    """A new link for someone who has not accepted yet; earlier links stop working."""
    user = organisation_user(user_id)
    if not FlaskForm().validate_on_submit() or not invites.is_pending(user):
        abort(400)
    invites.renew(user)
    links.hand_over(user)
    return redirect(url_for(".index"))


@bp.route("/staff/<id:user_id>/sign-in-link", methods=["POST"])
@administrators_only
def sign_in_link(user_id: int):
    """For someone who has forgotten their password: a link to choose a new one.

    Their current password keeps working until the link is used; using it signs them out
    everywhere else.
    """
    user = organisation_user(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if invites.is_pending(user) or not user.active:
        abort(400, f"{user.name} cannot sign in now: use New invitation link or Reactivate.")
    if user.id == current_user.id:
        flash("Change your own password from Your account.", "info")
        return redirect(url_for(".index"))
    if user.is_administrator:
        # Otherwise one administrator could open another's account, or the install's.
        abort(
            403,
            "Administrators get a new sign-in link from whoever runs this installation, "
            "so that no one can open another administrator's account.",
        )
    # Ids only: who made a link for whom, for whoever runs the installation.
    current_app.logger.info(
        "Account %s made a sign-in link for account %s", current_user.id, user.id
    )
    links.hand_over(user)
    return redirect(url_for(".index"))


@bp.route("/staff/<id:user_id>/<any(deactivate, reactivate):change>", methods=["POST"])
@administrators_only
def set_active(user_id: int, change: str):
    """Stop or restart someone's access; everything they wrote stays."""
    user = organisation_user(user_id)
    if not FlaskForm().validate_on_submit() or invites.is_pending(user):
        abort(400)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account. Ask another administrator.", "error")
        return redirect(url_for(".index"))
    user.active = change == "reactivate"
    if not user.active:
        user.session_version += 1  # signs them out everywhere at once
        held.forget(user)  # what they typed but never saved goes with their access
    flash(
        f"{user.name} can {'now' if user.active else 'no longer'} sign in. "
        "Everything they wrote is kept.",
        "success",
    )
    return redirect(url_for(".index"))


@bp.route("/invitation/<token>")
def open_link(token: str):
    """Where a link lands. Its token is checked and swapped for a note in this browser's
    session, and the browser sent on to an address without it, so that no log of the pages
    asked for (this server's, a proxy's, the browser's history) keeps a working link after
    the first request."""
    invites.exchange(token)
    return redirect(url_for(".accept"), 303)


@bp.route("/invitation", methods=["GET", "POST"])
def accept():
    """The invited person, or someone who forgot their password, chooses one and is signed in."""
    try:
        user, purpose = invites.opened_link()
    except invites.InvitationError as exc:
        reason = str(exc)
        page = render_template("staff/invitation_invalid.html", reason=reason)
        return page, 400 if reason == "missing" else 410
    reset = purpose == "reset"
    form = AcceptForm(email=user.email, data={"name": user.name})
    if form.validate_on_submit():
        invites.accept(user, form.name.data, form.password.data)
        invites.forget_opened_link()
        login_user(user)
        if reset:
            flash(
                "Your new password is set, and you are signed in. Any other device signed "
                "in as you will need the new password.",
                "success",
            )
        else:
            flash(
                f"Welcome, {user.name}. You are signed in to {user.organisation.name}.", "success"
            )
        return redirect(url_for("library.index"))
    code = 400 if form.errors else 200
    return render_template("staff/accept.html", form=form, user=user, reset=reset), code
