"""Forms for inviting staff and for accepting an invitation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..accounts.passwords import password_problem
from ..accounts.services import email_taken


def _trimmed(value):
    return value.strip() if isinstance(value, str) else value


class InviteForm(FlaskForm):
    name = StringField(
        "Their name",
        filters=[_trimmed],
        validators=[
            DataRequired("Enter their name"),
            Length(max=120, message="The name can be up to 120 characters"),
        ],
    )
    email = EmailField(
        "Their email address",
        description="They will sign in with this.",
        filters=[_trimmed],
        validators=[
            DataRequired("Enter their email address"),
            Email("Enter an email address like name@example.org"),
            Length(max=254, message="The email address can be up to 254 characters"),
        ],
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
        if email_taken(field.data or ""):
            raise ValidationError("This email address already has an account")


class AcceptForm(FlaskForm):
    name = StringField(
        "Your name",
        filters=[_trimmed],
        validators=[
            DataRequired("Enter your name"),
            Length(max=120, message="Your name can be up to 120 characters"),
        ],
    )
    password = PasswordField(
        "Choose a password",
        description="At least 12 characters. A few ordinary words strung together are easy "
        "to remember and hard to guess.",
        validators=[DataRequired("Choose a password")],
    )
    confirm = PasswordField(
        "Type the password again",
        validators=[
            DataRequired("Type the password again"),
            EqualTo("password", "The two passwords are not the same. Type them again."),
        ],
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_email = email

    def validate_password(self, field) -> None:
        problem = password_problem(
            field.data or "", email=self.invited_email, name=self.name.data or ""
        )
        if problem:
            raise ValidationError(problem)
