"""Views for the wizard: start a profile, then one step at a time, saving on every submit."""

from __future__ import annotations

import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from ..audit.service import record
from ..document import profile_document
from ..extensions import db
from ..models import MAX_STATEMENTS
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
from .forms import AboutForm, PhotoForm, ReviewForm, StartForm, section_form
from .steps import neighbour, profile_steps

ACTION = re.compile(
    r"^(next|back|save|finish|download|remove_photo|goto:\w+|(up|down|remove):\d+)$"
)
STATEMENT_MESSAGES = {
    "up": "Statement moved up.",
    "down": "Statement moved down.",
    "remove": "Statement removed.",
}
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
        db.session.flush()  # gives the profile its id, so the event commits with it
        record("created", profile.id)
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
    if request.method == "GET":
        record("viewed", profile.id, commit=True)
    action = request.form.get("action", "save")
    if request.method == "POST" and not ACTION.match(action):
        abort(400)
    if request.method == "POST":
        g.document_before = snapshot(profile)
    view = {"about": about_step, "photo": photo_step, "review": review_step}.get(step, section_step)
    try:
        return view(profile, step, action)
    except StaleProfileError:
        # Someone saved in the same instant: show this page again, as stale, with its text.
        g.stale = True
        return view(get_profile(profile_id), step, action)


def snapshot(profile) -> dict:
    """Everything a save can change: the file format's content and the consent record."""
    consent = [
        profile.consent_self,
        profile.consent_by,
        profile.consent_relationship,
        str(profile.consent_date),
    ]
    return {**profile_document(profile), "consent": consent}


def printed_content(document: dict) -> dict:
    """What a reader of the profile sees, leaving out paper size, review date and consent."""
    return {k: v for k, v in document.items() if k not in ("layout", "review_due", "consent")}


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


def saved(profile, current: str, action: str, anchor: str | None = None, message: str = ""):
    """Commit the step, then say what happened and go where the button asked."""
    messages = [(message, "success")] if message else []
    document = snapshot(profile)
    if profile.status == "ready" and printed_content(document) != printed_content(
        g.document_before
    ):
        # Changes nobody has checked must not print as if they had been.
        profile.status = "draft"
        messages.append(
            (
                "This profile has changed, so it is a draft again. Check it and mark it "
                "ready to print when you are happy with it.",
                "warning",
            )
        )
    elif not messages and request.form.get("action") == "save":
        messages.append(("Your changes are saved.", "success"))
    target = target_of(profile, current, action)
    changed = document != g.document_before
    if changed:
        record("changed", profile.id)
    wizard.commit_step(profile, target, changed=changed)
    for text, category in messages:
        flash(text, category)
    return redirect(url_for(".step", profile_id=profile.id, step=target, _anchor=anchor))


def submitted(form, profile, versioned: bool = True) -> tuple[bool, bool]:
    """(valid, stale): validate a POSTed form and check it was made from the latest version."""
    if request.method != "POST" or not form.validate_on_submit():
        return False, False
    if not versioned:
        return True, False
    try:
        if g.get("stale"):
            raise StaleProfileError
        check_version(profile, form.version.data)
    except StaleProfileError:
        form.version.raw_data = [str(profile.version)]
        form.version.data = profile.version
        return False, True
    return True, False


CONSENT_CHOICES = {"yes": True, "no": False}


def about_step(profile, step: str, action: str):
    if request.method == "GET":
        form = AboutForm(obj=profile)
        form.consent_self.data = {v: k for k, v in CONSENT_CHOICES.items()}.get(
            profile.consent_self
        )
    else:
        form = AboutForm()
    valid, stale = submitted(form, profile)
    if valid:
        wizard.save_about(
            profile,
            form.name.data,
            form.preferred_name.data,
            form.written_by.data,
            form.language.data,
        )
        wizard.save_consent(
            profile,
            CONSENT_CHOICES.get(form.consent_self.data),
            form.consent_by.data or "",
            form.consent_relationship.data or "",
            form.consent_date.data,
        )
        return saved(profile, step, action)
    return page("wizard/about.html", profile, step, form, stale)


def section_step(profile, key: str, action: str):
    section = profile.section(key)
    definition = get_kind(profile.kind).section(key)
    if request.method == "GET":
        form = section_form(
            definition,
            profile.language,
            data={
                "version": profile.version,
                "heading": section.heading or definition.heading(profile.language),
                "statements": [{"id": str(st.id), "text": st.text} for st in section.statements],
            },
        )
    else:
        form = section_form(definition, profile.language, formdata=request.form)
        verb, _, statement_id = action.partition(":")
        if verb == "remove":
            # The statement being removed is not checked: it may have been emptied first.
            form.statements.entries = [
                e for e in form.statements.entries if e.form.id.data != statement_id
            ]
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
        if heading == definition.heading(profile.language):
            heading = ""
        wizard.save_section(section, heading, edits, new_texts)
        verb, _, statement_id = action.partition(":")
        if verb in {"up", "down", "remove"}:
            done = wizard.apply_statement_action(section, verb, statement_id)
            anchor = "statements" if verb == "remove" else f"statement-{statement_id}"
            message = STATEMENT_MESSAGES[verb] if done else ""
            return saved(profile, key, "save", anchor=anchor, message=message)
        return saved(profile, key, action)
    return page(
        "wizard/section.html",
        profile,
        key,
        form,
        stale,
        definition=definition,
        # On a stale page, what is saved now, so the person can see what changed.
        latest=[st.text for st in section.statements] if stale else None,
    )


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
        return saved(profile, step, "save", message="Photo removed.")
    clean = None
    if valid:
        upload = form.photo.data
        if upload and getattr(upload, "filename", ""):
            try:
                clean = process_photo(upload.read())
            except PhotoError as exc:
                form.photo.errors = [str(exc)]
                valid = False
        if valid and form.description.data and clean is None and profile.photo is None:
            form.photo.errors = [
                "Choose a photo to go with this description, or leave the description empty"
            ]
            valid = False
    if valid:
        description = form.description.data
        message = "Photo saved." if clean is not None else ""
        if clean is not None and not description:
            # Never lose a chosen photo for want of words: describe it plainly for now.
            description = f"Photo of {profile.display_name}"
            message = (
                f"Photo saved. It is described as “{description}” for people who cannot "
                "see it: you can change that on the photo step."
            )
        wizard.save_photo(profile, clean, description)
        return saved(profile, step, action, message=message)
    return page("wizard/photo.html", profile, step, form, stale)


def review_step(profile, step: str, action: str):
    from ..render import render_profile

    form = ReviewForm(obj=profile if request.method == "GET" else None)
    # This step holds only printing choices, where the latest choice should win; and its
    # download saves without leaving the page, which would otherwise make the page stale.
    valid, stale = submitted(form, profile, versioned=False)
    if valid:
        wizard.save_review(profile, form.paper.data, form.review_due.data)
        if action == "download":
            saved(profile, step, "save")
            return redirect(url_for("printing.pdf", profile_id=profile.id))
        if action != "finish":
            return saved(profile, step, action)
        # The settings are committed before printing, so the render cache, which commits
        # its own result, never commits half of this step.
        response = saved(profile, step, "save")
        if render_profile(profile).fits:
            profile.status = "ready"
            wizard.commit_step(profile, step, changed=False)
            flash("Profile marked as ready to print.", "success")
        else:
            flash(
                "This profile does not fit on one page yet, so it is still a draft. "
                "Shorten the sections listed below, then try again.",
                "error",
            )
        return response
    return page(
        "wizard/review.html",
        profile,
        step,
        form,
        stale,
        kind=get_kind(profile.kind),
        outcome=render_profile(profile),
    )
