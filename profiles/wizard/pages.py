"""The wizard's steps, one view each: about the person, one per section, photo, review."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import partial

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..contributions.services import waiting_count
from ..extensions import db
from ..facts import arrange_facts, sort_facts
from ..history.revisions import CannotPutBack, offer_undo, put_back, say_put_back, take_undo
from ..models import MAX_FACTS, MAX_STATEMENTS, Profile, User
from ..photos import PhotoError, process_photo
from ..printing import why_not_printed
from ..printing.service import print_profile
from ..render import Outcome, RenderFailed, RenderTimedOut
from ..services import get_kind, once_saved, touch
from ..templating import day
from . import services as wizard
from .agreement import CURRENT, NEVER, agreement, record_agreement
from .flow import Visit, page, saved, shown, snapshot, submitted, write
from .forms import (
    AboutForm,
    AgreementForm,
    PhotoForm,
    ReviewForm,
    facts_form,
    review_hint,
    section_form,
)
from .steps import profile_steps

STATEMENT_MESSAGES = {
    "up": "Statement moved up.",
    "down": "Statement moved down.",
    "remove": "Statement removed.",
}

CONSENT_CHOICES = {"yes": True, "no": False}


def about_values(profile: Profile) -> dict[str, object]:
    """The about step's boxes as saved, as its form holds them."""
    return {
        "name": profile.name,
        "preferred_name": profile.preferred_name,
        "written_by": profile.written_by,
        "language": profile.language,
    }


def about_step(profile: Profile, step: str, visit: Visit):
    """Who the profile is about and whose voice it is in.

    A page from an older version saves box by box (see flow.merge_fields).
    """
    if request.method == "GET":
        form = AboutForm(data={**about_values(profile), "version": profile.version})
        form.shown.data = shown(about_values(profile))
    else:
        form = AboutForm()
    valid, stale = submitted(form, profile, visit, saved_now=about_values(profile))
    if valid:
        wizard.save_about(
            profile,
            form.name.data,
            form.preferred_name.data,
            form.written_by.data,
            form.language.data,
        )
        return saved(profile, step, visit)
    return page("wizard/about.html", profile, step, form, stale)


def agree_step(profile: Profile, step: str, visit: Visit):
    """Who agreed to the profile, as it is now, being made and shared, and when.

    Asked once the profile is written, so that what is agreed is what it says. When it has
    changed since it was agreed, the question is asked afresh: the answer is not filled in,
    so that going on without asking again never counts as agreement.
    """
    state = agreement(profile)
    if request.method == "GET":
        form = AgreementForm(obj=profile)
        if state == CURRENT:
            form.consent_self.data = {v: k for k, v in CONSENT_CHOICES.items()}.get(
                profile.consent_self
            )
        else:
            # Today in the day, month and year boxes: most agree on the day it is asked.
            form.consent_date.process(None, date.today())
    else:
        form = AgreementForm()
    valid, stale = submitted(form, profile, visit)
    if valid:
        agreed = CONSENT_CHOICES.get(form.consent_self.data)
        if agreed is None:
            # Not (yet) agreed: what was recorded before stays, and still says what it is.
            return saved(profile, step, visit)
        wizard.save_consent(
            profile,
            agreed,
            form.consent_by.data or "",
            form.consent_relationship.data or "",
            form.consent_date.data,
        )
        record_agreement(profile)
        agreed_now = snapshot(profile)["consent"] != visit.before["consent"]
        if agreed_now:
            touch(profile, "Agreed")
        response = saved(profile, step, visit)
        if agreed_now:
            # The version this save made is the one agreed to.
            profile.agreed_version = profile.version
        return response
    return page(
        "wizard/agree.html",
        profile,
        step,
        form,
        stale,
        state=state,
        agreed_on=profile.consent_date,
    )


def facts_step(profile: Profile, step: str, visit: Visit):
    """The key facts the kind asks for, such as a hospital passport's NHS number, and any
    other facts the profile holds (from a file), each of which can be changed here."""
    declared = get_kind(profile.kind).facts
    values, others = sort_facts(profile.facts or [], declared)
    # As a page from an older version is merged: each fact the kind asks for on its own,
    # and the other facts together (see flow.merge_fields).
    saved_now = {
        **{f"fact_{fact.key}": values.get(fact.key, "") for fact in declared},
        "others": json.dumps(others),
    }
    if request.method == "GET":
        form = facts_form(
            declared,
            profile.language,
            data={
                "version": profile.version,
                **{f"fact_{key}": value for key, value in values.items()},
                "others": others,
            },
        )
        form.shown.data = shown(saved_now)
    else:
        form = facts_form(declared, profile.language, formdata=request.form)
    valid, stale = submitted(form, profile, visit, saved_now=saved_now)
    if valid:
        values, others = form.declared_values(), form.other_facts()
        count = len(arrange_facts(values, others, declared, profile.language))
        if count > MAX_FACTS:
            # Only facts from a file can make too many: the kind asks for fewer than the limit.
            form.refuse_other(
                f"A profile can hold up to {MAX_FACTS} key facts and this would make {count}. "
                "Empty the other facts that are no longer needed."
            )
            valid = False
    if valid:
        wizard.save_facts(profile, declared, values, others)
        return saved(profile, step, visit)
    return page(
        "wizard/facts.html",
        profile,
        step,
        form,
        stale,
        # On a stale page, what is saved now, so the person can see what changed.
        latest=profile.facts if stale else None,
    )


def section_step(profile: Profile, key: str, visit: Visit):
    """One section's statements: edit, move and remove them, and add answers to its prompts.

    A page opened before someone else saved the profile is merged with what they saved
    (see wizard.services.save_section), never refused: what cannot be merged by itself is
    shown side by side for the person to choose, and everything else is saved.
    """
    section = profile.section(key)
    definition = get_kind(profile.kind).section(key)
    default_heading = definition.heading(profile.language)
    show = partial(section_page, profile, section, definition)
    if request.method == "GET":
        form = fresh_section_form(profile, section, definition)
    else:
        form = section_form(definition, profile.language, formdata=request.form)
        verb, _, statement_id = visit.action.partition(":")
        if verb == "remove":
            # The statement being removed is not checked: it may have been emptied first.
            form.statements.entries = [
                e for e in form.statements.entries if e.form.id.data != statement_id
            ]
    valid, _ = submitted(form, profile, visit, versioned=False)
    if visit.stale:
        # Saved meanwhile again and again: show the page again with what was typed.
        form.version.data = profile.version
        return show(form, True, latest=[st.text for st in section.statements])
    if not valid:
        # Just removed a statement: the page after offers to put it back.
        return show(form, False, undo=take_undo(profile, key) if request.method == "GET" else None)
    # A page that does not say what it showed, sent from the version saved now, showed that.
    current = form.version.data in (None, profile.version)
    saved_texts = {str(st.id): st.text for st in section.statements}
    posted = [
        wizard.Posted(
            entry.form.id.data,
            entry.form.chosen_text(),
            entry.form.base.data or (saved_texts.get(entry.form.id.data) if current else None),
        )
        for entry in form.statements
    ]
    heading_base = form.heading_base.data or (
        (section.heading or default_heading) if current else None
    )
    # Read before this save is recorded: who saved the version this page is merged with.
    others = None if current else wizard.last_change(profile.id)
    verb, _, statement_id = visit.action.partition(":")
    version = profile.version  # the version a removal is made from, and undone from
    removed = next((st for st in section.statements if str(st.id) == statement_id), None)
    done = wizard.save_section(
        section,
        (form.chosen_heading() or default_heading, heading_base),
        posted,
        form.new_statements(),
        default_heading,
    )
    if verb == "undo" and done.complete:
        return put_back_removed(profile, key, visit, statement_id)
    message = ""
    anchor = None
    if verb in {"up", "down", "remove"}:
        moved = wizard.apply_statement_action(section, verb, statement_id)
        anchor = "statements" if verb == "remove" else f"statement-{statement_id}"
        message = STATEMENT_MESSAGES[verb] if moved else ""
        if verb == "remove" and moved and removed is not None:
            # The page after says so, with a button to put it back: once it is saved.
            once_saved(partial(offer_undo, profile.id, key, removed.uid, version))
            message, anchor = "", "undo"
    if not current and not message:
        message = (
            "Your changes are saved. The profile was changed elsewhere while you had this "
            "page open: those changes are kept too."
        )
    if done.complete:
        action = "save" if verb in {"up", "down", "remove"} else None
        return saved(profile, key, visit, action, anchor=anchor, message=message)
    # Save what could be merged, then show the page again for the rest.
    for text, category in write(profile, key, visit, key, quiet=True):
        flash(text, category)
    return unfinished(profile, section, definition, form, done, others)


def section_page(profile: Profile, section, definition, form, stale: bool, **context):
    """The section's page, with who added each statement through an invitation to
    contribute, by statement id."""
    return page(
        "wizard/section.html",
        profile,
        section.key,
        form,
        stale,
        definition=definition,
        contributors={str(st.id): st.contributed_by for st in section.statements},
        **{"latest": None, "undo": None, **context},
    )


def fresh_section_form(profile: Profile, section, definition, **data):
    """The section's form as saved now, each statement with the text the page shows."""
    heading = section.heading or definition.heading(profile.language)
    return section_form(
        definition,
        profile.language,
        data={
            "version": profile.version,
            "heading": heading,
            "heading_base": heading,
            "statements": [
                {"id": str(st.id), "text": st.text, "base": st.text} for st in section.statements
            ],
            **data,
        },
    )


def unfinished(profile: Profile, section, definition, sent, done, others):
    """The section as now saved, with what could not be saved yet: statements two people
    changed differently, side by side, and new statements the section has no room for."""
    conflicts = {c.id: c for c in done.conflicts}
    heading = conflicts.get(None)
    data = {}
    if heading:
        data.update(heading=heading.mine, heading_base=heading.theirs, heading_conflict="1")
    if done.refused:
        answers = {f.name: f.data for f in sent.answer_fields()}
        # An edit to a statement removed meanwhile waits with the new ones.
        edited = [t for t in done.refused if t not in sent.new_statements()]
        if edited:
            answers["answer_more"] = "\n".join([answers.get("answer_more") or "", *edited]).strip()
        data.update(answers)
    form = fresh_section_form(profile, section, definition, **data)
    for entry in form.statements:
        conflict = conflicts.get(entry.form.id.data)
        if conflict:
            entry.form.text.data = conflict.mine
            entry.form.conflict.data = "1"
            entry.form.combined.data = f"{conflict.mine}\n{conflict.theirs}"
    if done.refused:
        target = next((f for f in form.answer_fields() if f.data), form.answer_more)
        target.errors = [
            f"A section can hold up to {MAX_STATEMENTS} statements and this one has "
            f"{done.count}, so the new statements below are not saved yet. Shorten or remove "
            "some statements first, then save again."
        ]
    code = 409 if done.conflicts else 400
    return section_page(
        profile,
        section,
        definition,
        form,
        False,
        code=code,
        conflicts=len(done.conflicts),
        others=others,
    )


def photo_values(profile: Profile) -> dict[str, object]:
    """The photo step's boxes as saved."""
    return {
        "description": profile.photo.description if profile.photo else "",
        "crop": profile.photo.crop if profile.photo else None,
    }


def put_back_removed(profile: Profile, key: str, visit: Visit, offer: str):
    """Undo a removal ("uid:version" of the version it was removed from), saving the page
    as any button does."""
    uid, _, number = offer.partition(":")
    try:
        put_back(profile, uid, int(number))
    except CannotPutBack as exc:
        response = saved(profile, key, visit, "save", anchor="statements")
        flash(str(exc), "error")
        return response
    once_saved(partial(say_put_back, profile.id, key))
    return saved(profile, key, visit, "save", anchor="undo")


def photo_step(profile: Profile, step: str, visit: Visit):
    """The photo, its description, and how it prints: whole, or a square from part of it.

    A page from an older version saves box by box (see flow.merge_fields).
    """
    form = PhotoForm(
        data={"version": profile.version, **photo_values(profile)}
        if request.method == "GET"
        else None
    )
    if request.method == "GET":
        form.shown.data = shown(photo_values(profile))
    valid, stale = submitted(form, profile, visit, saved_now=photo_values(profile))
    if valid and visit.action == "remove_photo":
        wizard.remove_photo(profile)
        return saved(profile, step, visit, "save", message="Photo removed.")
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
        # A new photo prints whole; the choice of crop shows only once there is a photo to
        # crop, so "continue" stays on this step to show it before going on.
        staying = clean is not None and visit.action == "next"
        message = "Photo saved." if clean is not None else ""
        if clean is not None and not description:
            # Never lose a chosen photo for want of words: describe it plainly for now.
            description = f"Photo of {profile.display_name}"
            where = "below" if staying else "on the photo step"
            message = (
                f"Photo saved. It is described as “{description}” for people who cannot "
                f"see it: you can change that {where}."
            )
        wizard.save_photo(profile, clean, description, form.crop.data)
        if staying:
            message += " Choose how it prints, then continue."
            return saved(profile, step, visit, "save", anchor=form.crop.id, message=message)
        return saved(profile, step, visit, message=message)
    return page("wizard/photo.html", profile, step, form, stale)


# Buttons of the check page that save it, then go on to another page about the profile
# (marking it reviewed comes back here).
ONWARD = {"share": ("sharing.index", {}), "mark_reviewed": ("reviews.mark", {"next": "check"})}


def review_step(profile: Profile, step: str, visit: Visit):
    """Check the answers, choose the design, paper and review date, and print."""
    if request.method == "GET":
        form = ReviewForm(obj=profile)
        if profile.review_due is None:
            # Every profile has a review date: offered as the kind's period from today.
            form.review_due.process(None, get_kind(profile.kind).next_review())
    else:
        # A choice left out of what was sent stays as it was.
        form = ReviewForm(design=profile.design, paper=profile.paper, review_due=profile.review_due)
    form.review_due.description = review_hint(profile.kind)
    # This step holds only printing choices, where the latest choice should win; and its
    # download saves without leaving the page, which would otherwise make the page stale.
    valid, stale = submitted(form, profile, visit, versioned=False)
    if valid and visit.action.startswith("draft_line:") and not current_user.is_administrator:
        abort(403)
    if valid:
        wizard.save_review(profile, form.design.data, form.paper.data, form.review_due.data)
        if visit.action in ("download", "download_anyway"):
            return downloaded(profile, step, visit)
        if visit.action in ONWARD:
            # Saved first, like every button, then on to the page the button names.
            saved(profile, step, visit, "save")
            endpoint, more = ONWARD[visit.action]
            return redirect(url_for(endpoint, profile_id=profile.id, **more))
        if visit.action.startswith("draft_line:"):
            return draft_line_chosen(profile, step, visit)
        if visit.action != "finish":
            return saved(profile, step, visit)
        if agreement(profile) != CURRENT:
            response = saved(profile, step, visit, "save")
            flash(not_agreed_message(profile), "error")
            return response
        outcome, stopped = try_printing(profile)
        if outcome and outcome.fits:
            profile.status = "ready"
        response = saved(profile, step, visit, "save")
        if outcome is None:
            flash(
                f"{stopped[0]}, so this profile is still a draft. Your choices are saved. "
                "Try marking it ready again in a minute.",
                "error",
            )
        elif outcome.fits:
            flash("Profile marked as ready to print.", "success")
        else:
            flash(
                "This profile does not fit on one page yet, so it is still a draft. "
                "Shorten the sections listed below, then try again.",
                "error",
            )
        return response
    outcome, stopped = try_printing(profile)
    return page(
        "wizard/review.html",
        profile,
        step,
        form,
        stale,
        kind=get_kind(profile.kind),
        outcome=outcome,
        stopped=stopped,
        gaps=gaps(profile),
        written=has_statements(profile),
        waiting=waiting_count(profile),
        today=date.today(),
        agreement=agreement(profile),
        draft_line_by=draft_line_chooser(profile),
    )


def draft_line_chooser(profile: Profile) -> str | None:
    """The name of the administrator who chose that the profile prints without the draft
    line, if one did (and their account is of this organisation)."""
    if profile.print_unagreed_by is None:
        return None
    administrator = db.session.get(User, profile.print_unagreed_by)
    return administrator.name if administrator else None


def not_agreed_message(profile: Profile) -> str:
    """Why a profile cannot be marked ready yet, and what to do."""
    if agreement(profile) == NEVER:
        return (
            "This profile cannot be marked ready to print until it has been agreed. Your "
            "choices are saved. Go to the Agreement step to record who agreed to it."
        )
    return (
        f"This profile has changed since it was agreed on {day(profile.consent_date)}, so it "
        "cannot be marked ready to print yet. Your choices are saved. Ask again, then record "
        "it on the Agreement step."
    )


def draft_line_chosen(profile: Profile, step: str, visit: Visit):
    """An administrator's choice: print a profile never agreed without the draft line
    (draft_line:off), or with it again (draft_line:on). Recorded with who chose."""
    if visit.action == "draft_line:off":
        wizard.print_without_draft_line(profile, current_user.id)
        message = (
            "This profile now prints without the “Draft: not yet agreed” line. Record the "
            "agreement as soon as it is given."
        )
    else:
        wizard.print_without_draft_line(profile, None)
        message = "This profile prints with the “Draft: not yet agreed” line again."
    return saved(profile, step, visit, "save", message=message)


@dataclass(frozen=True)
class Gap:
    """A section with nothing, or next to nothing, in it: worth filling before printing."""

    key: str
    heading: str
    empty: bool

    @property
    def message(self) -> str:
        said = "has no statements yet" if self.empty else "has only one statement"
        return f"{self.heading} {said}"


def gaps(profile: Profile) -> list[Gap]:
    """Each section with no statement or only one, in the profile's order, named as the
    wizard names its step: a mostly blank page should never print without a word."""
    titles = {s.name: s.title for s in profile_steps(profile)}
    return [
        Gap(s.key, titles[s.key], empty=not s.statements)
        for s in profile.sections
        if len(s.statements) < 2
    ]


def has_statements(profile: Profile) -> bool:
    """Whether anything at all is written in the profile's sections."""
    return any(s.statements for s in profile.sections)


PAPER_NAMES = {"A4": "A4", "Letter": "US Letter"}


def downloaded(profile: Profile, step: str, visit: Visit):
    """Save, then show the review page again, fresh, saying what was made; it downloads it.

    The page comes back without the problems of an earlier sending, which no longer
    apply, and starts the download itself (see review.html), so the download works
    without JavaScript and the person sees on the page that the PDF was made.
    A profile with no statements prints only when "Print anyway" was chosen: a page with
    a name and nothing else is a mistake far more often than it is meant.
    """
    if visit.action != "download_anyway" and not has_statements(profile):
        response = saved(profile, step, visit, "save")
        flash(
            "Nothing is written in this profile yet, so there is no PDF. Your choices are "
            "saved. Fill in a section first, or choose Print anyway.",
            "error",
        )
        return response
    outcome, stopped = try_printing(profile)
    if outcome is None or not outcome.fits:
        response = saved(profile, step, visit, "save")
        if outcome is None:
            flash(f"{stopped[0]}, so there is no PDF yet. Your choices are saved.", "error")
        else:
            flash(
                "This profile does not fit on one page yet, so there is no PDF. Shorten "
                "the sections listed below, then try again.",
                "error",
            )
        return response
    made = (
        f"PDF made for {profile.name} at {outcome.font_size:g} pt on "
        f"{PAPER_NAMES.get(outcome.paper, outcome.paper)} paper."
    )
    response = saved(profile, step, visit, "save")
    flash(made, "download")
    return response


def try_printing(profile: Profile) -> tuple[Outcome | None, tuple[str, str]]:
    """The print's outcome; or, when printing was stopped, None and what to tell the person.

    This page holds the person's answers and choices: a print that takes too long must
    not cost them, so it is said on the page rather than instead of it.
    """
    try:
        return print_profile(profile), ("", "")
    except (RenderTimedOut, RenderFailed) as exc:
        return None, why_not_printed(exc)
