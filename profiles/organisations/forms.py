"""The form for adding an organisation with its first administrator."""

from __future__ import annotations

from flask_wtf import FlaskForm

from ..accounts.forms import email_field, organisation_field, person_name_field, unused_email


class OrganisationForm(FlaskForm):
    organisation = organisation_field("Name of the organisation")
    name = person_name_field("Their administrator's name", "Enter the administrator's name")
    email = email_field(
        "Their administrator's email address",
        "They will sign in with this, choose their own password and invite their staff.",
        "Enter the administrator's email address",
        unused_email,
    )
