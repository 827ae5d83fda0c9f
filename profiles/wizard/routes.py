"""Views for the wizard."""

from . import bp


@bp.route("/new", methods=["GET", "POST"])
def start():
    """Start a new profile."""
    return "start"
