"""Share links: a read-only link to a profile, made by staff for someone outside the
organisation, and the pages it opens without an account."""

from flask import Blueprint

bp = Blueprint("sharing", __name__)

from . import routes  # noqa: E402, F401
