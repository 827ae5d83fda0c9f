"""Views for the audit log: administrators read it and download it; nobody can change it."""

from __future__ import annotations

from flask import Response, render_template, request

from ..security import administrators_only
from . import bp
from .forms import FilterForm
from .service import Filters, accounts, events_csv, find_events

FILTERS = ("person", "profile", "since", "until")
# A page number past this is a mistyped address; it would only make the database work.
MAX_PAGE = 100_000


def read_filters() -> tuple[FilterForm, Filters | None]:
    """The filters in the address, checked; None for the filters when one is wrong."""
    people = [
        (str(user.id), user.name if user.active else f"{user.name} (no longer active)")
        for user in accounts()
    ]
    form = FilterForm(formdata=request.args, people=people)
    if not form.validate():
        return form, None
    return form, Filters(
        user_id=int(form.person.data) if form.person.data else None,
        profile_id=form.profile.data,
        since=form.since.data,
        until=form.until.data,
    )


def show(form: FilterForm, pagination=None, entries=(), code: int = 200):
    # Only filters that were given, so links stay short and clearing one clears it.
    given = {key: request.args[key] for key in FILTERS if request.args.get(key, "").strip()}
    return render_template(
        "audit/index.html", form=form, pagination=pagination, entries=entries, filters=given
    ), code


@bp.route("")
@administrators_only
def index():
    """The audit log, newest first, 50 a page, filtered by person, profile and dates."""
    form, filters = read_filters()
    if filters is None:
        return show(form, code=400)
    page = min(request.args.get("page", 1, type=int), MAX_PAGE)
    pagination, entries = find_events(filters, page)
    return show(form, pagination, entries)


@bp.route("/events.csv")
@administrators_only
def download():
    """Every event the filters match, as a CSV file of times and ids."""
    form, filters = read_filters()
    if filters is None:
        return show(form, code=400)
    response = Response(events_csv(filters), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    # It names staff and says who saw which profile: keep it out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return response
