"""Printing: the preview and the one-page PDF of a profile."""

from flask import Blueprint, Flask, render_template

from ..render import RenderFailed, RenderTimedOut

bp = Blueprint("printing", __name__, url_prefix="/profiles")

from . import routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Check the print time limit, and say plainly when a print was stopped, wherever it was."""
    seconds = app.config["RENDER_TIMEOUT"]
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        raise ValueError(
            "RENDER_TIMEOUT (PROFILES_RENDER_TIMEOUT) must be a number of seconds above 0, "
            f"such as 20, not {seconds!r}."
        )
    app.register_error_handler(RenderTimedOut, print_stopped)
    app.register_error_handler(RenderFailed, print_stopped)


def why_not_printed(exc: RenderTimedOut | RenderFailed) -> tuple[str, str]:
    """What to tell someone whose print was stopped: a title, and what to do next."""
    if isinstance(exc, RenderTimedOut):
        title = "Printing took too long and was stopped"
        why = f"Laying out this profile took longer than {exc.seconds:g} seconds."
    else:
        title = "Printing stopped before it finished"
        why = "The printing process ended unexpectedly."
    advice = (
        f"{why} Nothing is lost: the profile is saved. Try again in a minute. If it happens "
        "again, shorten the longest sections, or tell whoever runs this installation."
    )
    return title, advice


def print_stopped(exc: RenderTimedOut | RenderFailed):
    """The page for a print that took too long, or whose printing process stopped."""
    title, advice = why_not_printed(exc)
    return render_template("error.html", title=title, advice=advice), 503
