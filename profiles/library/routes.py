"""Views for the list of profiles, their photos and deleting them."""

from flask import Response, flash, redirect, render_template, request, url_for

from ..audit.service import record
from ..security import administrators_only
from ..services import all_kinds, get_profile
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
        kinds=all_kinds(),
    ), 400 if form.errors else 200


@bp.route("/profiles/<id:profile_id>/photo")
def photo(profile_id: int):
    """The profile's photo, or a small version of it with ?size=thumb."""
    profile = get_profile(profile_id)
    if profile.photo is None:
        return Response(status=404)
    small = request.args.get("size") == "thumb"
    etag = profile.photo.sha256 + ("-thumb" if small else "")
    if request.if_none_match.contains(etag):
        return Response(status=304)
    data = thumbnail(profile.photo.data) if small else profile.photo.data
    response = Response(data, mimetype="image/jpeg" if small else profile.photo.media_type)
    response.set_etag(etag)
    # Personal data: the browser may keep it, never a shared cache, and it asks again each
    # time (a cheap 304 by ETag) so a replaced photo shows at once.
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


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
