"""Moving profiles in and out as files in the one-page-profile format."""

from flask import Blueprint

bp = Blueprint("transfer", __name__)

from . import routes  # noqa: E402, F401
