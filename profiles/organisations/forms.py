"""The forms for adding an organisation, and for its own accent colour and logo."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import ValidationError

from ..accounts.forms import email_field, organisation_field, person_name_field, unused_email
from ..form_filters import at_most, trimmed
from ..models import MAX_LOGO_DESCRIPTION
from ..photos import MAX_PHOTO_MB
from .branding import DEFAULT_ACCENT, MIN_CONTRAST, contrast_on_white, parse_colour


class OrganisationForm(FlaskForm):
    organisation = organisation_field("Name of the organisation")
    name = person_name_field("Their administrator's name", "Enter the administrator's name")
    email = email_field(
        "Their administrator's email address",
        "They will sign in with this, choose their own password and invite their staff.",
        "Enter the administrator's email address",
        unused_email,
    )


def readable_colour(form, field) -> None:
    """A #rrggbb colour dark enough to read as headings on white paper."""
    if not field.data:
        raise ValidationError(
            f"Enter a colour, such as {DEFAULT_ACCENT}, or choose to use the layouts' own colours"
        )
    colour = parse_colour(field.data)
    if colour is None:
        raise ValidationError(
            "Enter the colour as # and six letters or numbers, such as "
            f"{DEFAULT_ACCENT}: the letters can be a to f"
        )
    contrast = contrast_on_white(colour)
    if contrast < MIN_CONTRAST:
        # Rounded down, so a colour just short of the limit never shows as reaching it.
        shown = int(contrast * 10) / 10
        raise ValidationError(
            f"This colour is too light to read on white paper (contrast {shown:g} to 1; it "
            f"needs at least {MIN_CONTRAST:g} to 1). Choose a darker colour."
        )
    field.data = colour


class AccentForm(FlaskForm):
    accent = StringField(
        "Accent colour",
        description="Used for headings and lines on every printed profile. Type it as # and "
        f"six letters or numbers, such as {DEFAULT_ACCENT}: your organisation's style guide "
        "may give it as a hex or web colour.",
        filters=[trimmed],
        validators=[readable_colour],
    )


class LogoForm(FlaskForm):
    logo = FileField(
        "Choose a logo",
        description=f"JPEG, PNG or WebP, up to {MAX_PHOTO_MB} MB. It prints small, at the top "
        "of every profile; a logo on a white or clear background prints best.",
    )
    description = StringField(
        "Describe the logo",
        description="Read aloud by screen readers. Usually the organisation's name is enough.",
        filters=[trimmed],
        validators=[at_most(MAX_LOGO_DESCRIPTION, "The description")],
    )
