"""Forms for setting up, signing in and out."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from .passwords import password_problem
from .services import email_taken, find_organisation, slugify


def _trimmed(value):
    return value.strip() if isinstance(value, str) else value


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[_trimmed],
        validators=[DataRequired("Enter the email address you sign in with")],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class NewPasswordMixin:
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

    def validate_password(self, field) -> None:
        problem = password_problem(
            field.data or "", email=self.email.data or "", name=self.name.data or ""
        )
        if problem:
            raise ValidationError(problem)


class SetupForm(NewPasswordMixin, FlaskForm):
    organisation = StringField(
        "Name of your organisation",
        description="For example, Riverside Care Home.",
        filters=[_trimmed],
        validators=[
            DataRequired("Enter the name of your organisation"),
            Length(max=120, message="The name can be up to 120 characters"),
        ],
    )
    name = StringField(
        "Your name",
        filters=[_trimmed],
        validators=[
            DataRequired("Enter your name"),
            Length(max=120, message="Your name can be up to 120 characters"),
        ],
    )
    email = EmailField(
        "Your email address",
        description="You will sign in with this. You will be the administrator.",
        filters=[_trimmed],
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address like name@example.org"),
            Length(max=254, message="The email address can be up to 254 characters"),
        ],
    )

    def validate_organisation(self, field) -> None:
        slug = slugify(field.data or "")
        if not slug:
            raise ValidationError("Use some letters or numbers in the organisation's name")
        if find_organisation(slug) is not None:
            raise ValidationError("An organisation with this name is already set up")

    def validate_email(self, field) -> None:
        if email_taken(field.data or ""):
            raise ValidationError("This email address already has an account")
