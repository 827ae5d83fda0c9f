"""Printing: the preview and the one-page PDF of a profile."""

from flask import Blueprint

bp = Blueprint("printing", __name__, url_prefix="/profiles")

from . import routes  # noqa: E402, F401
