"""Who may open which page, and security headers on every response."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps

from flask import Flask, Response, abort, g, has_request_context, make_response, request
from flask_login import current_user


def only_for(allowed: Callable[[object], bool], advice: str | None = None) -> Callable:
    """A decorator for pages that only some signed-in people may open; others get 403.

    Without advice, the 403 page says to ask an administrator of the organisation.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not allowed(current_user):
                abort(403, advice)
            return view(*args, **kwargs)

        return guarded

    return decorate


administrators_only = only_for(lambda user: user.is_administrator)
install_administrators_only = only_for(
    lambda user: user.install_admin,
    "Only the administrator of this installation can add organisations. Ask them to add yours.",
)

# Pages the app shows inside its own pages: the review step frames the print preview, and
# a shared profile's page frames the printed page.
FRAMED_BY_SELF = {"printing.preview", "sharing.shared_page"}

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # photos are printed as data: URLs
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csp_nonce() -> str:
    """This request's nonce for an inline <style> block; empty when printing outside a request."""
    if not has_request_context():
        return ""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str | None, framed: bool) -> str:
    """The policy for one response: the style nonce only when a page used it."""
    policy = dict(POLICY)
    if nonce:
        policy["style-src"] += f" 'nonce-{nonce}'"
    if framed:
        policy["frame-ancestors"] = "'self'"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def add_security_headers(response: Response) -> Response:
    """Add the headers a view has not set itself, and keep every response but the static
    files out of every cache."""
    framed = request.endpoint in FRAMED_BY_SELF
    headers = {
        "Content-Security-Policy": content_security_policy(g.get("csp_nonce"), framed),
        "X-Frame-Options": "SAMEORIGIN" if framed else "DENY",
        **HEADERS,
    }
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        # Pages, photos, prints and exported files name the people in them: neither a
        # shared device's browser nor a proxy may keep a copy, for Back or anyone to show
        # again. Only the app's own stylesheets, scripts and fonts may be kept.
        response.headers["Cache-Control"] = "no-store"
    return response


def not_kept(page: str, code: int = 200) -> Response:
    """A page that browsers must not keep, for Back or another person to show again."""
    response = make_response(page, code)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Send the headers with every response and offer csp_nonce() to templates."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_security_headers)
    app.extensions["security"] = True
