"""The form for printing many profiles at once."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from ..render import PAPER_LABELS, PAPERS


class Choice(RadioField):
    """Radios whose refusal of anything not offered says what to do instead."""

    def __init__(self, *args, wrong: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.wrong = wrong
        self.type = "RadioField"  # shown as radios by the field macro, like any RadioField

    def pre_validate(self, form) -> None:
        if not any(match for _, _, match, *_ in self.iter_choices()):
            raise ValidationError(self.wrong)


class PrintManyForm(FlaskForm):
    choice = Choice(
        "Which profiles?",
        description="Each prints on one page, in its own design, in name order.",
        validators=[InputRequired("Choose which profiles to print")],
        wrong="That choice is not on the list any more. Choose one of the options shown.",
    )
    paper = Choice(
        "Paper size",
        choices=[SelectChoice(name, PAPER_LABELS.get(name, name)) for name in PAPERS],
        default="A4",
        validators=[InputRequired("Choose a paper size")],
        wrong="Choose A4, Letter or A5.",
    )
    blank_backs = BooleanField(
        "Add a blank page after each profile",
        description="For printing double-sided: each profile then has a sheet of its own.",
    )
