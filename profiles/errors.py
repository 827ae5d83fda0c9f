"""Error pages that say what happened and what to do next."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from .photos import MAX_PHOTO_MB
from .transfer.importer import MAX_FILE_MB

MESSAGES = {
    400: (
        "Something was wrong with that request",
        "Go back, check what you entered and try again.",
    ),
    403: (
        "You cannot do that with your account",
        "Only an administrator of your organisation can do this. Ask your administrator.",
    ),
    404: (
        "Page not found",
        "The profile or page may have been deleted, or the address may be wrong. "
        "Go to the list of profiles to find it.",
    ),
    405: (
        "This page cannot be opened again",
        "It answered a form that was sent, so reloading it or opening its address does "
        "nothing: nothing was changed. Go back to the page you were on and send the form "
        "again if you need to, or go to your profiles.",
    ),
    413: (
        "That file is too large",
        f"Photos can be up to {MAX_PHOTO_MB} MB and profile files up to {MAX_FILE_MB} MB. "
        "Choose a smaller file, or take a new photo at a lower size.",
    ),
    500: (
        "Sorry, something went wrong on our side",
        "Your last change was not saved, but nothing you saved before it has been lost. "
        "Try it again in a minute. If it happens again, tell whoever runs this installation.",
    ),
}


def init_app(app: Flask) -> None:
    """Register a friendly page for each error a person can meet."""

    def render(exc, code: int):
        title, advice = MESSAGES[code]
        # A view may say more precisely what to do: abort(403, "Only ...").
        description = getattr(exc, "description", None)
        if description and description != getattr(type(exc), "description", None):
            advice = description
        # The methods an address takes, which a 405 must name, are kept.
        allow = [(k, v) for k, v in exc.get_headers() if k == "Allow"]
        return render_template("error.html", title=title, advice=advice), code, allow

    for code in MESSAGES:
        app.register_error_handler(code, lambda exc, code=code: render(exc, code))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_template(
            "error.html",
            title="This page had expired",
            advice="Your last change was not saved. Go back, reload the page and make the "
            "change again. If your text is still in the box, copy it first.",
        ), 400
