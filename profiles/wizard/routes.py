"""Views for the wizard: start a profile, then one step at a time, saving on every submit."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from ..photos import PhotoError, process_photo
from ..services import (
    StaleProfileError,
    all_kinds,
    check_version,
    create_profile,
    get_kind,
    get_profile,
)
from . import bp
from . import services as wizard
from .forms import MAX_STATEMENTS, AboutForm, PhotoForm, ReviewForm, StartForm, section_form
from .steps import neighbour, profile_steps

ACTION = re.compile(r"^(next|back|save|finish|remove_photo|goto:\w+|(up|down|remove):\d+)$")
STALE_MESSAGE = (
    "Someone else saved changes to this profile while you had this page open. Your changes "
    "have not been saved yet: they are still on this page. Check them, then save again."
)


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
        first = profile.sections[0].key
        wizard.commit_step(profile, first)
        flash("Profile started. Your answers are saved every time you continue.", "success")
        return redirect(url_for(".step", profile_id=profile.id, step=first))
    return render_template("wizard/start.html", form=form), 400 if form.errors else 200


@bp.route("/<int:profile_id>")
def resume(profile_id: int):
    """Open a profile where it was left."""
    profile = get_profile(profile_id)
    return redirect(url_for(".step", profile_id=profile.id, step=profile.step))


@bp.route("/<int:profile_id>/steps/<step>", methods=["GET", "POST"])
def step(profile_id: int, step: str):
    """Show or save one step of the wizard."""
    profile = get_profile(profile_id)
    steps = profile_steps(profile)
    if step not in {s.name for s in steps}:
        abort(404)
    action = request.form.get("action", "save")
    if request.method == "POST" and not ACTION.match(action):
        abort(400)
    view = {"about": about_step, "photo": photo_step, "review": review_step}.get(step, section_step)
    return view(profile, step, action)


def page(template: str, profile, current: str, form, stale: bool, **context):
    """Show a step with its progress; 400 when it has errors, 409 when it was stale."""
    code = 409 if stale else 400 if form.errors else 200
    return render_template(
        template,
        profile=profile,
        steps=profile_steps(profile),
        current=current,
        form=form,
        stale=stale,
        stale_message=STALE_MESSAGE,
        **context,
    ), code


def target_of(profile, current: str, action: str) -> str:
    """Where a button sends the person after saving."""
    steps = profile_steps(profile)
    if action == "next":
        return neighbour(steps, current, 1)
    if action == "back":
        return neighbour(steps, current, -1)
    if action.startswith("goto:") and action[5:] in {s.name for s in steps}:
        return action[5:]
    return current


def saved(profile, current: str, action: str, anchor: str | None = None):
    """Commit the step and go where the button asked."""
    target = target_of(profile, current, action)
    wizard.commit_step(profile, target)
    return redirect(url_for(".step", profile_id=profile.id, step=target, _anchor=anchor))


def submitted(form, profile) -> tuple[bool, bool]:
    """(valid, stale): validate a POSTed form and check it was made from the latest version."""
    if request.method != "POST" or not form.validate_on_submit():
        return False, False
    try:
        check_version(profile, form.version.data)
    except StaleProfileError:
        form.version.raw_data = [str(profile.version)]
        form.version.data = profile.version
        return False, True
    return True, False


def about_step(profile, step: str, action: str):
    form = AboutForm(obj=profile if request.method == "GET" else None)
    valid, stale = submitted(form, profile)
    if valid:
        wizard.save_about(
            profile,
            form.name.data,
            form.preferred_name.data,
            form.written_by.data,
            form.language.data,
        )
        return saved(profile, step, action)
    return page("wizard/about.html", profile, step, form, stale)


def section_step(profile, key: str, action: str):
    section = profile.section(key)
    definition = get_kind(profile.kind).section(key)
    if request.method == "GET":
        form = section_form(
            definition,
            data={
                "version": profile.version,
                "heading": section.heading or definition.heading(profile.language),
                "statements": [{"id": str(st.id), "text": st.text} for st in section.statements],
            },
        )
    else:
        form = section_form(definition, formdata=request.form)
    valid, stale = submitted(form, profile)
    if valid:
        edits = [(entry.form.id.data, entry.form.text.data.strip()) for entry in form.statements]
        new_texts = form.new_statements()
        if len(edits) + len(new_texts) > MAX_STATEMENTS:
            form.answer_more.errors = [
                f"A section can hold up to {MAX_STATEMENTS} statements and this would make "
                f"{len(edits) + len(new_texts)}. Remove some, or keep the best ones."
            ]
            valid = False
    if valid:
        heading = form.heading.data
        if heading in {definition.heading(lang) for lang in ("en", "cy")}:
            heading = ""
        wizard.save_section(section, heading, edits, new_texts)
        db.session.flush()
        verb, _, statement_id = action.partition(":")
        if verb in {"up", "down", "remove"}:
            if wizard.apply_statement_action(section, verb, statement_id):
                flash(
                    {
                        "up": "Statement moved up.",
                        "down": "Statement moved down.",
                        "remove": "Statement removed.",
                    }[verb],
                    "success",
                )
            return saved(profile, key, "save", anchor="statements")
        return saved(profile, key, action)
    return page("wizard/section.html", profile, key, form, stale, definition=definition)


def photo_step(profile, step: str, action: str):
    form = PhotoForm(
        data={
            "version": profile.version,
            "description": profile.photo.description if profile.photo else "",
        }
        if request.method == "GET"
        else None
    )
    valid, stale = submitted(form, profile)
    if valid and action == "remove_photo":
        wizard.remove_photo(profile)
        flash("Photo removed.", "success")
        return saved(profile, step, "save")
    if valid:
        clean = None
        upload = form.photo.data
        if upload and getattr(upload, "filename", ""):
            try:
                clean = process_photo(upload.read())
            except PhotoError as exc:
                form.photo.errors = [str(exc)]
                valid = False
        has_photo = clean is not None or profile.photo is not None
        if valid and has_photo and not form.description.data:
            form.description.errors = ["Describe the photo for people who cannot see it"]
            valid = False
    if valid:
        wizard.save_photo(profile, clean, form.description.data)
        if clean is not None:
            flash("Photo saved.", "success")
        return saved(profile, step, action)
    return page("wizard/photo.html", profile, step, form, stale)


def review_step(profile, step: str, action: str):
    from ..render import render_profile

    form = ReviewForm(obj=profile if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = profile.version
    valid, stale = submitted(form, profile)
    if valid:
        wizard.save_review(profile, form.paper.data, form.review_due.data)
        if action != "finish":
            return saved(profile, step, action)
        if render_profile(profile).fits:
            profile.status = "ready"
            flash("Profile marked as ready to print.", "success")
        else:
            flash(
                "This profile does not fit on one page yet, so it is still a draft. "
                "Shorten the sections listed below, then try again.",
                "error",
            )
        return saved(profile, step, "save")
    return page(
        "wizard/review.html",
        profile,
        step,
        form,
        stale,
        kind=get_kind(profile.kind),
        outcome=render_profile(profile),
    )
