"""The wizard: guided prompts, one short step at a time."""

from flask import Blueprint

bp = Blueprint("wizard", __name__, url_prefix="/profiles")

from . import routes  # noqa: E402, F401
