"""Forms for inviting staff and for accepting an invitation."""

from __future__ import annotations

from flask_login import current_user
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
from ..accounts.services import find_user
from .invitations import is_pending


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
        """An address already in use: say what to do instead of inviting again."""
        user = find_user(field.data or "")
        if user is None:
            return
        if user.organisation_id != current_user.organisation_id:
            raise ValidationError(
                "This email address already has an account with another organisation. "
                "Use a different address for them here."
            )
        if is_pending(user):
            raise ValidationError(
                f"{user.name} is already invited with this address. To send them a fresh "
                "link, choose “New invitation link” next to their name above."
            )
        if not user.active:
            raise ValidationError(
                f"{user.name} has a deactivated account with this address. To let them "
                "sign in again, choose “Reactivate” next to their name above."
            )
        raise ValidationError(
            f"{user.name} already has an account with this address. If they have forgotten "
            "their password, choose “New sign-in link” next to their name above."
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
