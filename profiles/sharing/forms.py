"""Forms for making a share link, and for opening one that has an access code."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from ..form_filters import DaysField, Limit, at_most, trimmed
from ..models import MAX_LINK_DAYS

MIN_CODE, MAX_CODE = 6, 50


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
            f"From 1 to {MAX_LINK_DAYS} days. After that it stops working, and you can make a "
            "new one if it is still needed."
        ),
    )
    code = StringField(
        "Access code (optional)",
        description=(
            f"{MIN_CODE} to {MAX_CODE} letters or numbers that must be typed before the profile "
            "shows; capital letters do not matter. Give it separately from the link, for "
            "example by phone, so that the link alone does not open the profile."
        ),
        filters=[trimmed],
        validators=[
            Optional(),
            Limit(
                min=MIN_CODE,
                max=MAX_CODE,
                message=f"An access code must be {MIN_CODE} to {MAX_CODE} characters long",
            ),
        ],
    )


class CodeForm(FlaskForm):
    """The access code of a link. No CSRF token: the link's token is the secret, and anyone
    who could forge this post already holds it (see sharing.routes.shared); a visitor whose
    session was lost is not refused."""

    class Meta:
        csrf = False

    code = StringField(
        "Access code",
        description=(
            "Whoever shared this profile with you gave you the code separately. Capital "
            "letters do not matter."
        ),
        filters=[trimmed],
        validators=[DataRequired(message="Enter the access code"), at_most(200, "The code")],
    )
