"""Views for setting up a fresh install, signing in and out, and the person's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..audit.service import record
from ..extensions import db
from ..models import Organisation
from ..services import find_profile
from ..staff import links
from ..staff.invitations import RESET_HOURS
from ..staff.mail import mail_configured
from ..wizard.steps import neighbour, profile_steps
from . import bp, held, limits
from .forms import (
    ChangePasswordForm,
    ForgottenPasswordForm,
    SetupForm,
    SignInForm,
    StaffProfileForm,
)
from .services import (
    StaffProfileTaken,
    authenticate,
    change_password,
    claim_staff_profile,
    create_organisation,
    create_user,
    end_every_session,
    normalise_email,
    own_staff_profile,
    start_staff_profile,
)


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
        # Whoever sets up the install may add further organisations to it.
        user.install_admin = True
        db.session.flush()  # gives the account its id, which the session keeps
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
        # Refused before the password is looked at, so guessing on gains nothing.
        until = limits.try_again_at(form.email.data)
        if until is not None:
            return too_many_attempts(form, until)
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            held.purge_expired()  # kept text must not outlive its 7 days for want of a save
            if held.waiting(user):
                return redirect(url_for(".unsaved"))
            return redirect(safe_next(request.args.get("next")))
        limits.record_failure(form.email.data)
        failed = True
    code = 400 if form.errors or failed else 200
    return render_template("accounts/sign_in.html", form=form, failed=failed), code


# The address a sign-in link was just asked for, until the next page has said so.
ASKED = "sign_in_link_asked_for"


@bp.route("/sign-in/forgotten", methods=["GET", "POST"])
def forgotten_password():
    """Ask for a link to choose a new password, by email; or, where this installation sends
    no email, how to get one from an administrator."""
    if not mail_configured():
        return render_template("accounts/forgotten.html", form=None, hours=RESET_HOURS)
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        # Counted for every address, with an account or not, so the answer is the same.
        until = limits.link_wait(form.email.data)
        if until is not None:
            wait = limits.wait_message(until, too_many="Too many sign-in links were asked for.")
            page = render_template(
                "accounts/forgotten.html", form=form, hours=RESET_HOURS, wait=wait
            )
            response = make_response(page, 429)
            response.headers["Retry-After"] = str(limits.seconds_until(until))
            return response
        links.email_sign_in_link(form.email.data)
        session[ASKED] = normalise_email(form.email.data)
        return redirect(url_for(".sign_in_link_sent"), 303)
    code = 400 if form.errors else 200
    return render_template("accounts/forgotten.html", form=form, hours=RESET_HOURS), code


@bp.route("/sign-in/forgotten/sent")
def sign_in_link_sent():
    """The same words whether or not the address has an account: nobody learns who has one."""
    email = session.pop(ASKED, None)
    if email is None or not mail_configured():
        return redirect(url_for(".forgotten_password"))
    return render_template("accounts/sign_in_link_sent.html", email=email, hours=RESET_HOURS)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Sign out on this device."""
    form = FlaskForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are signed out.", "success")
    return redirect(url_for(".sign_in"))


def too_many_attempts(form: SignInForm, until: float):
    """The sign-in page again, saying when the next attempt will be looked at."""
    page = render_template("accounts/sign_in.html", form=form, wait=limits.wait_message(until))
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(limits.seconds_until(until))
    return response


@bp.route("/account")
def account():
    """The signed-in person's own details, their staff profile, and their sessions."""
    return account_page(StaffProfileForm())


def account_page(form: StaffProfileForm, code: int = 200):
    return render_template(
        "accounts/account.html",
        user=current_user,
        staff_profile=own_staff_profile(current_user),
        form=form,
        action_form=FlaskForm(),
    ), code


@bp.route("/account/staff-profile/start", methods=["POST"])
def start_own_staff_profile():
    """Start one's own staff profile, or open it if there is one already."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    profile = own_staff_profile(user)
    if profile is None:
        profile = start_staff_profile(user)
        # The name is the account's: begin at the step after the person (the key facts).
        profile.step = neighbour(profile_steps(profile), "about", 1)
        record("created", profile.id)
        flash("Your staff profile is started. Write it in your own words.", "success")
    return redirect(url_for("wizard.resume", profile_id=profile.id))


@bp.route("/account/staff-profile/link", methods=["POST"])
def link_own_staff_profile():
    """Say which of the organisation's unclaimed staff profiles is one's own."""
    if own_staff_profile(current_user) is not None:
        flash(
            "Your account already has a staff profile. If it is not yours, choose "
            "“This is not my staff profile” first.",
            "info",
        )
        return redirect(url_for(".account"))
    form = StaffProfileForm()
    if not form.validate_on_submit():
        return account_page(form, 400)
    claim_staff_profile(current_user._get_current_object(), form.profile.data)
    flash("That staff profile is now linked to your account.", "success")
    return redirect(url_for(".account"))


@bp.errorhandler(StaffProfileTaken)
def staff_profile_taken(exc: StaffProfileTaken):
    """Someone else said it was theirs in the same moment: say so, and offer the others."""
    form = StaffProfileForm()
    form.validate()
    return account_page(form, 409)


@bp.route("/account/staff-profile/unlink", methods=["POST"])
def unlink_own_staff_profile():
    """Let go of a profile linked by mistake; the profile itself stays."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    current_user.staff_profile_id = None
    flash("That profile is no longer linked to your account. It is still kept.", "success")
    return redirect(url_for(".account"))


@bp.route("/account/still-here", methods=["POST"])
def still_here():
    """Sent by the page while someone types: typing is not leaving the device unattended.

    Every signed-in request restarts the idle time; this one does nothing else.
    """
    return "", 204


@bp.route("/account/unsaved")
def unsaved():
    """What the person typed before being signed out, to save now or let go."""
    changes = held.waiting(current_user)
    profiles = {c.id: find_profile(c.profile_id) for c in changes if c.profile_id is not None}
    steps = {
        change.id: step.title
        for change in changes
        if (profile := profiles.get(change.id)) is not None
        for step in profile_steps(profile)
        if step.name == change.view_args.get("step")
    }
    return render_template(
        "accounts/unsaved.html",
        changes=changes,
        profiles=profiles,
        steps=steps,
        replay_url=held.replay_url,
        field=held.FIELD,
        action_form=FlaskForm(),
    )


@bp.route("/account/unsaved/<id:held_id>/discard", methods=["GET", "POST"])
def discard_unsaved(held_id: int):
    """Let go of a kept change the person no longer wants, once they are sure."""
    change = held.find(current_user, held_id)
    if request.method == "GET":
        if change is None:
            return redirect(url_for(".unsaved"))
        return render_template(
            "accounts/discard_unsaved.html", change=change, action_form=FlaskForm()
        )
    if not FlaskForm().validate_on_submit():
        abort(400)
    if change is None:
        # Pressed twice, the second press finds it gone: the same outcome, not an error.
        flash("That unsaved change was already discarded.", "info")
    else:
        db.session.delete(change)
        flash("That unsaved change is discarded.", "success")
    return redirect(url_for(".unsaved") if held.waiting(current_user) else url_for(".account"))


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    """Change one's own password; every other device has to sign in again with the new one."""
    user = current_user._get_current_object()
    form = ChangePasswordForm(user)
    if form.validate_on_submit():
        change_password(user, form.password.data)
        # The session's id carries the old session version: sign in again with the new one.
        login_user(user)
        flash(
            "Your password is changed. You are still signed in here; on any other device, "
            "sign in again with the new password.",
            "success",
        )
        return redirect(url_for(".account"))
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200


@bp.route("/account/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere():
    """Sign out on every device, this one too: for a lost tablet or a shared password."""
    end_every_session(current_user._get_current_object())
    logout_user()
    flash(
        "You are signed out on every device, including this one. Sign in again to carry on.",
        "success",
    )
    return redirect(url_for(".sign_in"))


def safe_next(target: str | None) -> str:
    """Only a path on this site: never a link that sends someone elsewhere after signing in."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("library.index")
