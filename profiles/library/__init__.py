"""The list of profiles: find one, and the way into everything you can do with it."""

from flask import Blueprint

bp = Blueprint("library", __name__)

from . import routes  # noqa: E402, F401
