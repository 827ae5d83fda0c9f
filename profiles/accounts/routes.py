"""Views for setting up a fresh install and for signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..extensions import db
from ..models import Organisation
from . import bp
from .forms import SetupForm, SignInForm
from .services import authenticate, create_organisation, create_user


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """On a fresh install only: create the first organisation and its administrator."""
    if db.session.scalar(select(Organisation.id).limit(1)) is not None:
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        organisation = create_organisation(form.organisation.data)
        user = create_user(
            organisation, form.email.data, form.name.data, form.password.data, "administrator"
        )
        db.session.commit()
        login_user(user)
        flash(
            f"{organisation.name} is set up, and you are signed in as its administrator.", "success"
        )
        return redirect(url_for("library.index"))
    return render_template("accounts/setup.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Sign in with an email address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("library.index"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        failed = True
    code = 400 if form.errors or failed else 200
    return render_template("accounts/sign_in.html", form=form, failed=failed), code


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Sign out on this device."""
    form = FlaskForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are signed out.", "success")
    return redirect(url_for(".sign_in"))


def safe_next(target: str | None) -> str:
    """Only a path on this site: never a link that sends someone elsewhere after signing in."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("library.index")
