"""Views for the list of profiles, their photos and deleting them."""

from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for

from ..audit.service import record
from ..groups.services import group_names
from ..reviews import due_by
from ..security import administrators_only
from ..services import all_kinds, get_profile, keep_thumbnail
from ..wizard.agreement import CHANGED, agreement
from . import bp
from .forms import DeleteForm, SearchForm
from .services import delete_profile, find_profiles, thumbnail


@bp.route("/", methods=["GET", "POST"])
def index():
    """The list of profiles, a page at a time, with search by name.

    A search is sent by POST, its pages too, so that a name never appears in an address.
    """
    form = SearchForm()
    search = form.q.data or "" if form.validate_on_submit() else ""
    pagination = find_profiles(search, request.values.get("page", 1, type=int))
    return render_template(
        "library/index.html",
        form=form,
        search=search,
        pagination=pagination,
        profiles=pagination.items,
        groups=group_names([p.id for p in pagination.items]),
        kinds=all_kinds(),
        today=date.today(),
        review_due_by=due_by(),
        changed_since_agreed={p.id for p in pagination.items if agreement(p) == CHANGED},
    ), 400 if form.errors else 200


@bp.route("/profiles/<id:profile_id>/photo")
def photo(profile_id: int):
    """The profile's photo, or a small version of it with ?size=thumb."""
    profile = get_profile(profile_id)
    if profile.photo is None:
        return Response(status=404)
    photo = profile.photo
    # Personal data: sent Cache-Control: no-store, like every page (see security.py).
    if request.args.get("size") != "thumb":
        return Response(photo.data, mimetype=photo.media_type)
    # Browsers do not keep it, so it is asked for at every showing: made once, then kept.
    small = photo.thumbnail if photo.thumbnail_of == photo.sha256 else None
    if small is None:
        small = thumbnail(photo.data)
        keep_thumbnail(profile.id, photo.sha256, small)
    return Response(small, mimetype="image/jpeg")


@bp.route("/profiles/<id:profile_id>/delete", methods=["GET", "POST"])
@administrators_only
def delete(profile_id: int):
    """Ask before deleting a profile, then delete it: administrators only."""
    profile = get_profile(profile_id)
    form = DeleteForm(name=profile.name)
    if form.validate_on_submit():
        record("deleted", profile.id)
        delete_profile(profile)
        flash("The profile, its photo and its printed copies were deleted.", "success")
        return redirect(url_for(".index"))
    return render_template(
        "library/delete.html", profile=profile, form=form
    ), 400 if form.errors else 200
