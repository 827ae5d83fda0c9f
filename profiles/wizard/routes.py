"""Views for the wizard: start a profile, then one step at a time, saving on every submit."""

from __future__ import annotations

import random
import re
import time

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from ..audit.service import record
from ..extensions import db
from ..services import StaleProfileError, all_kinds, create_profile, get_profile, unit_of_work
from . import bp
from . import services as wizard
from .flow import Visit, snapshot
from .forms import StartForm
from .pages import about_step, agree_step, facts_step, photo_step, review_step, section_step
from .steps import neighbour, profile_steps

ACTION = re.compile(
    r"^(next|back|save|finish|share|download(_anyway)?|remove_photo|mark_reviewed|draft_line:(on|off)"
    r"|goto:\w+|(up|down|remove):\d+|undo:[0-9a-f]{32}:\d{1,10})$"
)
STEP_VIEWS = {
    "about": about_step,
    "facts": facts_step,
    "photo": photo_step,
    "agree": agree_step,
    "review": review_step,
}


@bp.route("/new", methods=["GET", "POST"])
def start():
    """Start a profile: who it is about and whose voice it is in."""
    form = StartForm()
    form.kind.choices = [SelectChoice(key, kind.label) for key, kind in all_kinds().items()]
    if request.method == "GET":
        form.kind.data = "adult"
    if form.validate_on_submit():
        profile = create_profile(
            form.kind.data, form.name.data, form.preferred_name.data, form.written_by.data
        )
        profile.language = form.language.data
        # The start page asks what the about step does: go on to the step after it.
        first = neighbour(profile_steps(profile), "about", 1)
        db.session.flush()  # gives the profile its id, so the event is saved with it
        record("created", profile.id)
        wizard.finish_step(profile, first)
        flash("Profile started. Your answers are saved every time you continue.", "success")
        return redirect(url_for(".step", profile_id=profile.id, step=first))
    descriptions = {key: kind.description for key, kind in all_kinds().items()}
    return render_template(
        "wizard/start.html", form=form, kind_descriptions=descriptions
    ), 400 if form.errors else 200


@bp.route("/<id:profile_id>")
def resume(profile_id: int):
    """Open a profile where it was left."""
    profile = get_profile(profile_id)
    return redirect(url_for(".step", profile_id=profile.id, step=profile.step))


@bp.route("/<id:profile_id>/steps/<step>", methods=["GET", "POST"])
def step(profile_id: int, step: str, stale: bool = False):
    """Show or save one step of the wizard; stale shows a sent page again, unsaved."""
    profile = get_profile(profile_id)
    if request.method == "POST" and step not in STEP_VIEWS:
        # A section's save merges with the profile as saved: read it only once no one else
        # is saving it, so that two saves at once need not be made again.
        wizard.wait_for_other_saves(profile)
    if step not in {s.name for s in profile_steps(profile)}:
        abort(404)
    if request.method == "GET":
        record("viewed", profile.id)
        return STEP_VIEWS.get(step, section_step)(profile, step, Visit("save"))
    action = request.form.get("action", "save")
    if not ACTION.match(action):
        abort(400)
    visit = Visit(action, before=snapshot(profile), stale=stale)
    return STEP_VIEWS.get(step, section_step)(profile, step, visit)


# How many times a save that lost a race is made again, on the profile as saved now.
RETRIES = 8


@bp.errorhandler(StaleProfileError)
@bp.errorhandler(StaleDataError)  # a statement changed or removed by that save, on SQLite
def saved_meanwhile(exc: Exception):
    """Someone saved the same profile in the same instant, and theirs went first.

    Nothing of this save was kept (its unit of work was rolled back). It is made again, in
    a unit of work of its own, on the profile as saved now: a section's page merges with
    it (and checks its limit against it), the about, key facts and photo steps merge box
    by box where they can, and otherwise the page is shown again with what was typed, as
    any page sent from an older version is (the printing choices, where the latest wins,
    save). After a few lost races the page is shown again, unsaved.
    """
    for attempt in range(RETRIES):
        try:
            with unit_of_work():
                return step(**request.view_args)
        except (StaleProfileError, StaleDataError):
            # Where saves cannot wait for each other (SQLite), let the others finish first.
            time.sleep(random.uniform(0, 0.02 * (attempt + 1)))
    with unit_of_work():
        return step(**request.view_args, stale=True)
