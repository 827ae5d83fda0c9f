"""Accounts: setting up an install, signing in and out, and who may see what."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import routes  # noqa: E402, F401
