"""Organisations: an administrator of the whole install adds further organisations, and
an organisation's own administrators choose how its profiles print."""

from flask import Blueprint

bp = Blueprint("organisations", __name__)

from . import routes, settings  # noqa: E402, F401
