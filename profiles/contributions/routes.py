"""Views for staff gathering contributions, and for contributors, who have only a link."""

from __future__ import annotations

from functools import partial

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
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import links
from ..accounts.limits import contribution_wait, wait_message
from ..audit.service import record
from ..extensions import csrf, db
from ..links import link_headers
from ..models import Contribution, ContributionInvite, Organisation, Profile
from ..security import not_kept
from ..services import StaleProfileError, get_profile, once_saved, unit_of_work
from . import bp
from . import services as contributions
from .forms import DecideForm, InviteForm, contribute_form

# The offer to undo a decline, shown once on the next showing of the page: only ids.
UNDO_DECLINE = "contribution_declined"

STALE = (
    "Someone else saved changes to this profile at the same moment, so nothing was added. "
    "The text is still in the box: choose Accept again."
)


def opening(text: str, words: int = 6) -> str:
    """The first few words of a contribution, to tell its buttons apart from another's."""
    split = text.split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


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
    """The page: a link just made, the links that work, the contributions waiting, and
    those declined (the one just declined with an offer to undo it).

    A decision that was refused (sent) shows again as it was sent, with its message. A link
    just made is shown on the page that answers the form, not after a redirect: its token
    is then never kept anywhere, not even in the session until the next page.
    """
    queue = contributions.waiting(profile)
    declined = contributions.declined(profile)
    forms = {
        c.id: sent if c.id == sent_for else decide_form(c, formdata=None, data={"text": c.text})
        for c in queue
    }
    kind = contributions.get_kind(profile.kind)
    headings = {
        c.id: contributions.heading_of(profile, kind, c.section_key) for c in queue + declined
    }
    undo = offered_undo(profile, declined)
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
        declined=declined,
        deciders=contributions.deciders(declined),
        undo=undo,
        forms=forms,
        headings=headings,
        action_form=FlaskForm(formdata=None),
        opening=opening,
    )
    return not_kept(page, code)


def offered_undo(profile: Profile, declined: list[Contribution]) -> Contribution | None:
    """The contribution just declined, to offer to put back; once, and only while it is
    still declined."""
    offer = session.pop(UNDO_DECLINE, None)
    if not offer or offer.get("profile_id") != profile.id:
        return None
    return next((c for c in declined if c.id == offer.get("contribution_id")), None)


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


@bp.route("/profiles/<id:profile_id>/contributions/<id:contribution_id>", methods=["GET", "POST"])
def decide(profile_id: int, contribution_id: int, stale: bool = False):
    """Accept a contribution, as written or edited, into the profile; or decline it.

    A refused decision is answered at this address; opened again (reloaded, or from the
    browser's history), it leads back to the page of contributions."""
    profile = get_profile(profile_id)
    if request.method == "GET":
        return redirect(url_for(".index", profile_id=profile.id, _anchor="waiting"), 303)
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
        return decided_already(profile, contribution)
    if stale:
        form.text.errors = [STALE]
        return staff_page(profile, sent=form, sent_for=contribution.id, code=409)
    if action == "decline":
        try:
            contributions.decide(contribution, "declined", current_user.id)
        except contributions.AlreadyDecided:
            return decided_already(profile, contribution)
        # Said on the next page, with a way to undo it: a mis-tap must lose nobody's words.
        offer = {"profile_id": profile.id, "contribution_id": contribution.id}
        once_saved(partial(session.__setitem__, UNDO_DECLINE, offer))
        return redirect(url_for(".index", profile_id=profile.id), 303)
    try:
        contributions.accept(profile, contribution, form.text.data, current_user.id)
    except contributions.AlreadyDecided:
        return decided_already(profile, contribution)
    except contributions.Refused as exc:
        form.text.errors = [str(exc)]
        return staff_page(profile, sent=form, sent_for=contribution.id, code=400)
    record("changed", profile.id)
    heading = contributions.heading_of(
        profile, contributions.get_kind(profile.kind), contribution.section_key
    )
    flash(f"Added to “{heading}”, credited to {contribution.contributed_by}.", "success")
    return redirect(url_for(".index", profile_id=profile.id), 303)


@bp.route("/profiles/<id:profile_id>/contributions/<id:contribution_id>/put-back", methods=["POST"])
def put_back(profile_id: int, contribution_id: int):
    """Put a declined contribution back in the queue, waiting to be accepted or declined."""
    profile = get_profile(profile_id)
    contribution = contributions.find_contribution(profile, contribution_id)
    if contribution is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if contributions.put_back(contribution):
        flash(
            f"What {contribution.contributed_by} wrote is back in the queue, waiting for you.",
            "success",
        )
    elif contribution.state == "pending":
        flash(f"What {contribution.contributed_by} wrote is already back in the queue.", "info")
    else:
        flash(contributions.already_decided(contribution), "info")
    return redirect(url_for(".index", profile_id=profile.id, _anchor="waiting"), 303)


def decided_already(profile: Profile, contribution: Contribution):
    """Someone decided first, perhaps at the same moment: say who, how and when."""
    flash(contributions.already_decided(contribution), "info")
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
@csrf.exempt  # the link's token is the secret: see ContributeForm
def contribute(token: str):
    """A contributor, without an account, adds to the profile the link was made for."""
    invite = contributions.open_invite(token)
    if invite is None:
        return inactive()
    profile = invite.profile
    offered = contributions.offered_sections(profile, invite.allow_suggestions)
    name = contributions.called(profile)
    form = contribute_form(offered, name)
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
        name=name,
        organisation=db.session.get(Organisation, invite.organisation_id),
        problem=problem,
    )
    return link_headers(make_response(page, code))


@bp.route("/contribute/thanks")
def thanks():
    """Said once a contribution is sent: it is not part of the profile until staff accept it."""
    return link_headers(make_response(render_template("contributions/thanks.html")))
