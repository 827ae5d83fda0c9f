"""Views for a profile's history: the versions, the changes between two, restoring one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from ..audit.service import record
from ..services import StaleProfileError, draft_again, flush_or_stale, get_profile
from ..templating import when
from ..wizard.flow import printed_content, snapshot
from . import bp
from .diff import compare
from .forms import CompareForm, RestoreForm
from .revisions import Entry, as_restored, default_heading, get_revision, history, restore


def version_label(entry: Entry) -> str:
    """A version as the lists name it, told apart from others saved in the same minute by
    who saved it and what they did: "Version 7: 27 November 2026 at 2:55pm, Ann Okafor,
    Reviewed"."""
    return ", ".join(
        filter(None, (f"Version {entry.number}: {when(entry.at)}", entry.by, entry.what))
    )


@bp.route("/<id:profile_id>/history")
def show(profile_id: int):
    """Every saved version, newest first, and the changes between any two of them."""
    profile = get_profile(profile_id)
    entries = history(profile)
    form = CompareForm(request.args)
    choices = [SelectChoice(e.number, version_label(e)) for e in entries]
    form.older.choices = form.newer.choices = choices
    chosen = "older" in request.args or "newer" in request.args
    if chosen and not form.validate():
        for field in (form.older, form.newer):
            if field.errors:
                field.errors = [f"Choose a version from the list of {len(entries)} versions"]
        return render_template(
            "history/show.html",
            profile=profile,
            entries=entries,
            form=form,
            changes=None,
            latest=entries[0].number if entries else None,
        ), 400
    if not chosen:
        # The latest change: the version before the latest, against the latest.
        numbers = [e.number for e in entries]
        form.newer.data = numbers[0] if numbers else None
        form.older.data = numbers[1] if len(numbers) > 1 else form.newer.data
    older = newer = changes = None
    if entries:
        older, newer = sorted((form.older.data, form.newer.data))
        changes = compare(
            get_revision(profile, older).document,
            get_revision(profile, newer).document,
            default_heading(profile),
        )
    record("viewed", profile.id)
    return render_template(
        "history/show.html",
        profile=profile,
        entries=entries,
        form=form,
        changes=changes,
        older=older,
        newer=newer,
        latest=entries[0].number if entries else None,
    )


@bp.route("/<id:profile_id>/history/<id:number>/restore", methods=["GET", "POST"])
def restore_version(profile_id: int, number: int):
    """Ask before restoring an earlier version, then restore it as a new version."""
    profile = get_profile(profile_id)
    revision = get_revision(profile, number)
    form = RestoreForm()
    if form.validate_on_submit():
        before = printed_content(snapshot(profile))
        photo_kept = restore(profile, revision)
        flush_or_stale()
        record("changed", profile.id)
        flash(
            f"Version {number} is restored as version {profile.version}. Every version "
            "before it is still in the history.",
            "success",
        )
        if photo_kept:
            flash(
                f"The photo is not the one version {number} had, so the profile keeps its "
                "current photo. Change it on the photo step if you need to.",
                "warning",
            )
        if printed_content(snapshot(profile)) != before:
            draft_again(profile)
        return redirect(url_for(".show", profile_id=profile.id))
    current = get_revision(profile, profile.version) if profile.version != number else None
    # Only what a restore brings back: the design, paper, review date and agreement stay.
    changes = (
        compare(
            current.document,
            as_restored(current.document, revision.document),
            default_heading(profile),
        )
        if current is not None
        else None
    )
    return render_template(
        "history/restore.html", profile=profile, revision=revision, form=form, changes=changes
    )


@bp.errorhandler(StaleProfileError)
def saved_meanwhile(exc: StaleProfileError):
    """Someone saved the profile in the same instant as a restore: nothing was restored
    (the unit of work was rolled back), and the history now shows their version too."""
    flash(
        "Someone else saved this profile at the same moment, so nothing was restored. "
        "Check the history below, then restore the version again if it is still needed.",
        "error",
    )
    return redirect(url_for(".show", profile_id=request.view_args["profile_id"]))
