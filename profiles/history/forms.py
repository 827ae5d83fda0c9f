"""Forms for the history page: choosing two versions to compare, and confirming a restore."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField


class CompareForm(FlaskForm):
    """Two versions, chosen by number: sent in the address, which names no one."""

    class Meta:
        csrf = False  # it only shows: nothing is changed

    older = SelectField("Compare version", coerce=int)
    newer = SelectField("with version", coerce=int)


class RestoreForm(FlaskForm):
    """Nothing to fill in: the button, with its token, is the confirmation."""
