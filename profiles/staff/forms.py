"""Forms for inviting staff and for accepting an invitation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..accounts.forms import (
    NewPasswordMixin,
    confirm_password_field,
    email_field,
    new_password_field,
    person_name_field,
)
from ..accounts.services import email_taken

ADDRESS_IN_USE = (
    "This email address cannot be invited. It may already have an account. Check the "
    "address, or ask the person to sign in. If they are in the list above, choose “New "
    "sign-in link”, “New invitation link” or “Reactivate” next to their name instead."
)


class InviteForm(FlaskForm):
    name = person_name_field("Their name", "Enter their name")
    email = email_field(
        "Their email address",
        "They will sign in with this.",
        "Enter their email address",
    )
    role = RadioField(
        "What can they do?",
        choices=[
            SelectChoice("staff", "Staff: write and print the organisation's profiles"),
            SelectChoice(
                "administrator",
                "Administrator: also invite staff, see the audit log and delete profiles",
            ),
        ],
        default="staff",
    )

    def validate_email(self, field) -> None:
        """An address already in use, in this organisation or any other: one message for
        both, so that inviting never tells one organisation who works at another."""
        if email_taken(field.data or ""):
            raise ValidationError(ADDRESS_IN_USE)


class AcceptForm(NewPasswordMixin, FlaskForm):
    name = person_name_field()
    password = new_password_field()
    confirm = confirm_password_field()

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_email = email

    def password_owner(self) -> tuple[str, str]:
        return self.invited_email, self.name.data or ""
