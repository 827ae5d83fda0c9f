"""Groups: profiles put together (a unit, a floor, a team) to print together."""

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")

from . import routes  # noqa: E402, F401
