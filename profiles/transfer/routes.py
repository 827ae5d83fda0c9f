"""Views for uploading and downloading profile files."""

from __future__ import annotations

from pathlib import PurePath

from flask import Response, flash, redirect, render_template, url_for

from ..audit.service import record
from ..services import get_profile
from . import bp
from .forms import ImportForm
from .importer import ImportProblems, export_json, import_files


@bp.route("/import", methods=["GET", "POST"])
def upload():
    """Import profile files: all of them, or none if any has a problem."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("transfer/upload.html", form=form), 400 if form.errors else 200
    # Some browsers send the whole path; only the file's own name helps find it.
    files = [(PurePath(f.filename or "file").name, f.read()) for f in form.files.data]
    try:
        ids = import_files(files)
    except ImportProblems as exc:
        return render_template("transfer/upload.html", form=form, refused=exc.files), 422
    if len(ids) == 1:
        message = "1 profile was imported as a draft. Check it before you print it."
    else:
        message = (
            f"{len(ids)} profiles were imported as drafts. Check each one before you print it."
        )
    flash(message, "success")
    return redirect(url_for("library.index"))


@bp.route("/profiles/<id:profile_id>/export.json")
def export(profile_id: int):
    """Download a profile as a file in the one-page profile format."""
    profile = get_profile(profile_id)
    record("exported", profile.id)
    response = Response(export_json(profile), mimetype="application/json")
    # The id, never the person's name: file names end up in download folders and logs.
    response.headers["Content-Disposition"] = f'attachment; filename="profile-{profile.id}.json"'
    # Health information must not be kept by browsers or proxies.
    response.headers["Cache-Control"] = "no-store"
    return response
