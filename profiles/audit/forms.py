"""The audit log's filters: a person, a profile id and a range of dates."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..form_filters import UKDateField
from ..models import MAX_ID

EVERYONE = ""
ID_MESSAGE = "Enter the profile id as a whole number, such as 12"


class IdField(IntegerField):
    """A whole number, with a message a person would write when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(ID_MESSAGE) from None


class FilterForm(FlaskForm):
    """Sent by GET: it changes nothing, and holds only ids and dates, never a name."""

    class Meta:
        csrf = False

    person = SelectField("Person", default=EVERYONE)
    profile = IdField(
        "Profile id (optional)",
        description="The number in the profile's address, for example 12 in /profiles/12.",
        validators=[
            Optional(),
            NumberRange(min=1, message=ID_MESSAGE),
            NumberRange(max=MAX_ID, message="No profile has an id that large: check the number"),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    since = UKDateField(
        "From (optional)",
        message="Enter the first date as day, month and year, for example 01/11/2026",
        validators=[Optional()],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "class": "input--date"},
    )
    until = UKDateField(
        "To (optional)",
        message="Enter the last date as day, month and year, for example 30/11/2026",
        validators=[Optional()],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "class": "input--date"},
    )

    def __init__(self, *args, people: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = [(EVERYONE, "Everyone"), *people]

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The last date is before the first date: swap them round")
