"""Views for uploading and downloading profile files."""

from flask import render_template

from . import bp


@bp.route("/import", methods=["GET", "POST"])
def upload():
    """Import profile files."""
    return render_template("error.html", title="Import", advice="Coming soon"), 501
