"""Views for an administrator of the whole install: every organisation, and adding one."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..accounts.services import create_organisation
from ..extensions import db
from ..models import Organisation, User
from ..security import install_administrators_only, not_kept
from ..services import every_organisation, profile_counts
from ..staff import invitations as invites
from ..staff import links
from . import bp
from .forms import OrganisationForm


def awaiting_first_administrator() -> set[int]:
    """Organisations nobody has joined yet: their invitations are still the install's.

    Once anyone has joined, the organisation's own administrators manage its accounts, and
    the install's administrator cannot make a new link for any of them.
    """
    joined = select(User.organisation_id).where(User.password_hash != invites.NOT_SET)
    query = select(Organisation.id).where(Organisation.id.not_in(joined))
    with every_organisation():
        return set(db.session.scalars(query))


def pending_administrator(user_id: int) -> User | None:
    """An administrator still to join an organisation nobody has joined yet."""
    with every_organisation():
        user = db.session.get(User, user_id)
    if user is None or user.role != "administrator" or not invites.is_pending(user):
        return None
    return user if user.organisation_id in awaiting_first_administrator() else None


def organisations_page(form: OrganisationForm, code: int = 200):
    """Every organisation with how many profiles it has, and its administrators.

    Counts only: an administrator of the install sees no organisation's profiles but their own.
    """
    profiles = profile_counts()
    with every_organisation():
        administrators = db.session.scalars(
            select(User).where(User.role == "administrator").order_by(User.name)
        ).all()
    by_organisation: dict[int, list[User]] = {}
    for user in administrators:
        by_organisation.setdefault(user.organisation_id, []).append(user)
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    page = render_template(
        "organisations/index.html",
        form=form,
        organisations=list(organisations),
        profiles=profiles,
        awaiting=awaiting_first_administrator(),
        administrators=by_organisation,
        invitation=links.recall(pending_administrator),
        is_pending=invites.is_pending,
        action_form=FlaskForm(),
    )
    return not_kept(page, code)


@bp.route("/organisations", methods=["GET", "POST"])
@install_administrators_only
def index():
    """Every organisation on this install, and a form to add one with its administrator."""
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = create_organisation(form.organisation.data)
        user = invites.invite(organisation, form.email.data, form.name.data, "administrator")
        db.session.flush()  # gives the account its id, which the link carries
        links.hand_over(user)
        return redirect(url_for(".index"))
    return organisations_page(form, code=400 if form.errors else 200)


@bp.route("/organisations/administrators/<id:user_id>/invite-again", methods=["POST"])
@install_administrators_only
def invite_again(user_id: int):
    """A new link for an organisation's administrator who has not accepted yet."""
    user = pending_administrator(user_id)
    if user is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    invites.renew(user)
    links.hand_over(user)
    return redirect(url_for(".index"))
