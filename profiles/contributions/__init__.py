"""Contributions: family, friends and colleagues add to a profile through a link, without an
account, and staff accept or decline what they wrote."""

from flask import Blueprint

bp = Blueprint("contributions", __name__)

from . import routes  # noqa: E402, F401
