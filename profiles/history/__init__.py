"""History: every saved version of a profile, what changed between any two, restoring."""

from flask import Blueprint

bp = Blueprint("history", __name__, url_prefix="/profiles")

from . import routes  # noqa: E402, F401
