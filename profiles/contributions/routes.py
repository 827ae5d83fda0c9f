"""Views for staff gathering contributions, and for contributors, who have only a link."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import links
from ..accounts.limits import contribution_wait, wait_message
from ..audit.service import record
from ..links import link_headers
from ..models import Contribution, ContributionInvite, Profile
from ..security import not_kept
from ..services import StaleProfileError, get_profile, unit_of_work
from . import bp
from . import services as contributions
from .forms import DecideForm, InviteForm, contribute_form

STALE = (
    "Someone else saved changes to this profile at the same moment, so nothing was added. "
    "The text is still in the box: choose Accept again."
)


def decide_form(contribution: Contribution, **kwargs) -> DecideForm:
    return DecideForm(prefix=f"contribution-{contribution.id}", **kwargs)


def staff_page(
    profile: Profile,
    form: InviteForm | None = None,
    sent: DecideForm | None = None,
    sent_for: int | None = None,
    code: int = 200,
    link: str | None = None,
):
    """The page: a link just made, the links that work, and the contributions waiting.

    A decision that was refused (sent) shows again as it was sent, with its message. A link
    just made is shown on the page that answers the form, not after a redirect: its token
    is then never kept anywhere, not even in the session until the next page.
    """
    queue = contributions.waiting(profile)
    forms = {
        c.id: sent if c.id == sent_for else decide_form(c, formdata=None, data={"text": c.text})
        for c in queue
    }
    kind = contributions.get_kind(profile.kind)
    headings = {c.id: contributions.heading_of(profile, kind, c.section_key) for c in queue}
    form = form or InviteForm(formdata=None)
    page = render_template(
        "contributions/index.html",
        profile=profile,
        form=form,
        every_form=[form, *forms.values()],
        link=link,
        invites=links.live(ContributionInvite, profile),
        sent=contributions.sent_through(profile),
        queue=queue,
        forms=forms,
        headings=headings,
        action_form=FlaskForm(formdata=None),
    )
    return not_kept(page, code)


@bp.route("/profiles/<id:profile_id>/contributions", methods=["GET", "POST"])
def index(profile_id: int):
    """Invite contributions to the profile, and accept or decline what is waiting."""
    profile = get_profile(profile_id)
    form = InviteForm()
    if form.validate_on_submit():
        link = contributions.make_invite(
            profile,
            form.label.data,
            form.allow_suggestions.data == "yes",
            form.days.data,
            current_user.id,
        )
        return staff_page(profile, link=link)
    return staff_page(profile, form=form, code=400 if form.errors else 200)


@bp.route(
    "/profiles/<id:profile_id>/contributions/invitations/<id:invite_id>/revoke", methods=["POST"]
)
def revoke(profile_id: int, invite_id: int):
    """Stop a link working, at once."""
    profile = get_profile(profile_id)
    invite = links.find(ContributionInvite, profile, invite_id)
    if invite is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    links.revoke(invite)
    flash(
        "The link no longer works. Anything already sent through it is still listed here.",
        "success",
    )
    return redirect(url_for(".index", profile_id=profile.id), 303)


@bp.route("/profiles/<id:profile_id>/contributions/<id:contribution_id>", methods=["POST"])
def decide(profile_id: int, contribution_id: int, stale: bool = False):
    """Accept a contribution, as written or edited, into the profile; or decline it."""
    profile = get_profile(profile_id)
    contribution = contributions.find_contribution(profile, contribution_id)
    if contribution is None:
        abort(404)
    action = request.form.get("action")
    if action not in ("accept", "decline"):
        abort(400)
    form = decide_form(contribution)
    if not form.validate_on_submit():
        abort(400)
    if contribution.state != "pending":
        flash("That contribution was already dealt with, by you or someone else.", "info")
        return redirect(url_for(".index", profile_id=profile.id), 303)
    if stale:
        form.text.errors = [STALE]
        return staff_page(profile, sent=form, sent_for=contribution.id, code=409)
    if action == "decline":
        contributions.decide(contribution, "declined", current_user.id)
        flash(
            f"Declined what {contribution.contributed_by} wrote: it is not added to the profile.",
            "success",
        )
        return redirect(url_for(".index", profile_id=profile.id), 303)
    try:
        contributions.accept(profile, contribution, form.text.data, current_user.id)
    except contributions.Refused as exc:
        form.text.errors = [str(exc)]
        return staff_page(profile, sent=form, sent_for=contribution.id, code=400)
    record("changed", profile.id)
    heading = contributions.heading_of(
        profile, contributions.get_kind(profile.kind), contribution.section_key
    )
    flash(f"Added to “{heading}”, credited to {contribution.contributed_by}.", "success")
    return redirect(url_for(".index", profile_id=profile.id), 303)


@bp.errorhandler(StaleProfileError)
def saved_meanwhile(exc: StaleProfileError):
    """A save of the same profile went first: nothing of this one was kept. The page is
    shown again, in a unit of work of its own, with the text as it was sent."""
    with unit_of_work():
        return decide(**request.view_args, stale=True)


def inactive():
    """What a link that no longer works shows: nothing else, whatever the reason."""
    page = render_template("contributions/inactive.html")
    return link_headers(make_response(page, 404))


@bp.route("/contribute/<token>", methods=["GET", "POST"])
def contribute(token: str):
    """A contributor, without an account, adds to the profile the link was made for."""
    invite = contributions.open_invite(token)
    if invite is None:
        return inactive()
    profile = invite.profile
    offered = contributions.offered_sections(profile, invite.allow_suggestions)
    form = contribute_form(offered)
    problem = ""
    if form.validate_on_submit():
        until = contribution_wait()
        if until is not None:
            problem = wait_message(
                until, too_many="Too many contributions have been sent from this connection."
            )
        else:
            try:
                contributions.contribute(
                    invite,
                    form.contributor_name.data,
                    form.contributor_relationship.data,
                    form.answers(),
                )
            except contributions.Refused as exc:
                problem = str(exc)
            else:
                return link_headers(redirect(url_for(".thanks"), 303))
    code = 429 if problem.startswith("Too many") else 400 if problem or form.errors else 200
    page = render_template(
        "contributions/contribute.html",
        form=form,
        name=contributions.called(profile),
        problem=problem,
    )
    return link_headers(make_response(page, code))


@bp.route("/contribute/thanks")
def thanks():
    """Said once a contribution is sent: it is not part of the profile until staff accept it."""
    return link_headers(make_response(render_template("contributions/thanks.html")))
