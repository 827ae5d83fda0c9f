"""Staff: administrators invite people, see their accounts and deactivate them."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from . import routes  # noqa: E402, F401
