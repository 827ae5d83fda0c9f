"""Forms for making a share link, and for opening one that has an access code."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from ..form_filters import at_most, trimmed
from ..models import MAX_SHARE_DAYS, SHARE_DAYS

MIN_CODE, MAX_CODE = 6, 50
DAYS_MESSAGE = f"Enter a number of days from 1 to {MAX_SHARE_DAYS}, such as {SHARE_DAYS}"


class DaysField(IntegerField):
    """A whole number of days, with a message in plain words when it is not one; a plain
    text box, as GOV.UK advises for numbers."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        if not text.isdigit() or len(text) > 6:
            raise ValueError(DAYS_MESSAGE)
        self.data = int(text)


class ShareForm(FlaskForm):
    # Offered only when a version was agreed (see sharing.agreed_version); without the
    # choice on the page, a link shows the profile as it is now.
    shows = RadioField(
        "What should the link show?",
        choices=[
            SelectChoice(
                "now", "The profile as it is whenever the link is opened, with any later changes"
            ),
            SelectChoice(
                "agreed", "The version that was agreed, even if the profile changes later"
            ),
        ],
        default="now",
        validators=[Optional()],
    )
    days = DaysField(
        "How many days should the link work?",
        description=(
            f"From 1 to {MAX_SHARE_DAYS} days. After that it stops working, and you can make a "
            "new one if it is still needed."
        ),
        default=SHARE_DAYS,
        validators=[
            DataRequired(message=DAYS_MESSAGE),
            NumberRange(min=1, max=MAX_SHARE_DAYS, message=DAYS_MESSAGE),
        ],
    )
    code = StringField(
        "Access code (optional)",
        description=(
            f"{MIN_CODE} to {MAX_CODE} letters or numbers that must be typed before the profile "
            "shows. Give it separately from the link, for example by phone, so that the link "
            "alone does not open the profile."
        ),
        filters=[trimmed],
        validators=[
            Optional(),
            Length(
                min=MIN_CODE,
                max=MAX_CODE,
                message=f"An access code must be {MIN_CODE} to {MAX_CODE} characters long",
            ),
        ],
    )


class CodeForm(FlaskForm):
    code = StringField(
        "Access code",
        description="Whoever shared this profile with you gave you the code separately.",
        filters=[trimmed],
        validators=[DataRequired(message="Enter the access code"), at_most(200, "The code")],
    )
