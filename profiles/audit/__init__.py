"""The audit trail: who viewed, changed, printed or shared which profile, and when."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")

from . import routes  # noqa: E402, F401
