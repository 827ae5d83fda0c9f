"""Views for the list of profiles."""

from flask import render_template

from . import bp


@bp.route("/")
def index():
    """The list of profiles."""
    return render_template("library/index.html", profiles=[])
