"""A person's rights over their data: everything held about them, as one download."""

from flask import Blueprint

bp = Blueprint("rights", __name__, url_prefix="/profiles")

from . import routes  # noqa: E402, F401
