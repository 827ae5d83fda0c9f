"""Forms for inviting staff and for accepting an invitation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from ..accounts.forms import (
    NewPasswordMixin,
    confirm_password_field,
    email_field,
    new_password_field,
    person_name_field,
    unused_email,
)


class InviteForm(FlaskForm):
    name = person_name_field("Their name", "Enter their name")
    email = email_field(
        "Their email address",
        "They will sign in with this.",
        "Enter their email address",
        unused_email,
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


class AcceptForm(NewPasswordMixin, FlaskForm):
    name = person_name_field()
    password = new_password_field()
    confirm = confirm_password_field()

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_email = email

    def password_owner(self) -> tuple[str, str]:
        return self.invited_email, self.name.data or ""
