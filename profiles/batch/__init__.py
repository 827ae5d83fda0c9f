"""Printing many: a booklet of profiles (a group, all residents, all staff, all due for
review) made by a background job, with its progress, its booklet and what it left out."""

from flask import Blueprint

bp = Blueprint("batch", __name__, url_prefix="/print-many")

from . import routes  # noqa: E402, F401
