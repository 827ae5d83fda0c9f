"""Views for reviews: the profiles due, and marking one reviewed."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..audit.service import record
from ..form_filters import example_date
from ..services import StaleProfileError, get_kind, get_profile, unit_of_work
from . import bp, due_by
from .forms import ReviewedForm
from .services import due_and_overdue, mark_reviewed, undated


@bp.route("")
def index():
    """The profiles overdue for review, then those due within 30 days, oldest first; then
    any with no review date, which would otherwise never be seen as due."""
    overdue, due = due_and_overdue()
    return render_template(
        "reviews/index.html",
        overdue=overdue,
        due=due,
        due_by=due_by(),
        undated=undated(),
    )


# Shown, with what was typed, when another save of the profile landed in the same instant.
STALE = (
    "Someone else saved changes to this profile at the same moment, so the review has not "
    "been recorded yet. What you typed is still here: check it, then press “Mark as "
    "reviewed” again."
)


# Where marking a profile reviewed goes back to, by the name `next` gives it: only ever
# one of these pages, never an address sent with the request.
RETURNS = {"reviews": "Back to reviews", "check": "Back to the profile"}


def return_to(profile_id: int, to: str) -> str:
    """The address of the page marking reviewed was started from."""
    if to == "check":
        return url_for("wizard.step", profile_id=profile_id, step="review")
    return url_for(".index")


@bp.route("/<id:profile_id>", methods=["GET", "POST"])
def mark(profile_id: int, stale: bool = False):
    """Record a review of the profile: who, a note, and when it is next due; stale shows
    what was sent again, unsaved."""
    profile = get_profile(profile_id)
    kind = get_kind(profile.kind)
    to = request.args.get("next") if request.args.get("next") in RETURNS else "reviews"
    form = ReviewedForm(data={"next_due": kind.next_review()} if request.method == "GET" else None)
    if not stale and form.validate_on_submit():
        mark_reviewed(
            profile, current_user.id, form.took_part.data, form.note.data, form.next_due.data
        )
        record("changed", profile.id)
        flash(
            f"Review of {profile.name} recorded. The next review is due by "
            f"{form.next_due.data.day} {form.next_due.data:%B %Y}.",
            "success",
        )
        return redirect(return_to(profile.id, to))
    return render_template(
        "reviews/mark.html",
        profile=profile,
        form=form,
        months=kind.review_months,
        today=date.today(),
        example=example_date(),
        back=(return_to(profile.id, to), RETURNS[to]),
        stale_message=STALE if stale else None,
    ), 409 if stale else 400 if form.errors else 200


@bp.errorhandler(StaleProfileError)
def saved_meanwhile(exc: StaleProfileError):
    """Another save of the profile went first: nothing of this review was kept (its unit of
    work was rolled back). The form is shown again, in a unit of work of its own, with
    what was typed."""
    with unit_of_work():
        return mark(**request.view_args, stale=True)
