"""Printing: the preview and the one-page PDF of a profile."""

import click
from flask import Blueprint, Flask, render_template

from ..render import RenderFailed, RenderTimedOut, prepare, rehearse_before_printing

bp = Blueprint("printing", __name__, url_prefix="/profiles")

from . import routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Check the print time limit, say plainly when a print was stopped, wherever it was,
    and have a process that serves pages ready to print from the start."""
    seconds = app.config["RENDER_TIMEOUT"]
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        raise ValueError(
            "RENDER_TIMEOUT (PROFILES_RENDER_TIMEOUT) must be a number of seconds above 0, "
            f"such as 20, not {seconds!r}."
        )
    app.register_error_handler(RenderTimedOut, print_stopped)
    app.register_error_handler(RenderFailed, print_stopped)
    if click.get_current_context(silent=True) is None and not app.testing:
        # Serving pages, not running one command: load the layout engine and rehearse a
        # print now (see render/rehearsal.py), so that every print takes less work, and
        # workers forked from this process (gunicorn --preload) start with all of it.
        rehearse_before_printing()
        prepare()


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
