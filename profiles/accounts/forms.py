"""Forms for setting up, signing in and changing a password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    ValidationError,
)

from ..form_filters import at_most, trimmed
from ..models import MAX_EMAIL, MAX_ORGANISATION_NAME, MAX_PERSON_NAME, User
from ..templating import when
from .passwords import password_problem, verify_password
from .services import email_taken, find_organisation, slugify, unclaimed_staff_profiles


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[trimmed],
        validators=[DataRequired("Enter the email address you sign in with")],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class ForgottenPasswordForm(FlaskForm):
    email = EmailField(
        "Your email address",
        description="The one you sign in with.",
        filters=[trimmed],
        validators=[
            DataRequired("Enter the email address you sign in with"),
            Email("Enter an email address like name@example.org"),
            at_most(MAX_EMAIL, "The email address"),
        ],
    )


def person_name_field(label: str = "Your name", missing: str = "Enter your name") -> StringField:
    """Someone's name, as they would like colleagues to see it."""
    return StringField(
        label,
        filters=[trimmed],
        validators=[
            DataRequired(missing),
            at_most(MAX_PERSON_NAME, "The name"),
        ],
    )


def email_field(label: str, description: str, missing: str, *checks) -> EmailField:
    """An email address to sign in with, with any further checks it must pass."""
    return EmailField(
        label,
        description=description,
        filters=[trimmed],
        validators=[
            DataRequired(missing),
            Email("Enter an email address like name@example.org"),
            at_most(MAX_EMAIL, "The email address"),
            *checks,
        ],
    )


def new_password_field(
    label: str = "Choose a password", missing: str = "Choose a password"
) -> PasswordField:
    """A field for choosing a password, with the advice people need to choose well."""
    return PasswordField(
        label,
        description="At least 12 characters. A few ordinary words strung together are easy "
        "to remember and hard to guess.",
        validators=[DataRequired(missing)],
    )


def confirm_password_field() -> PasswordField:
    """The new password typed a second time, to catch a slip of the finger."""
    return PasswordField(
        "Type the password again",
        validators=[
            DataRequired("Type the password again"),
            EqualTo("password", "The two passwords are not the same. Type them again."),
        ],
    )


class NewPasswordMixin:
    """Checks a form's new `password` field against the rules, and against its owner's details."""

    def password_owner(self) -> tuple[str, str]:
        """The email address and name that the new password must not contain."""
        return self.email.data or "", self.name.data or ""

    def validate_password(self, field) -> None:
        email, name = self.password_owner()
        problem = password_problem(field.data or "", email=email, name=name)
        if problem:
            raise ValidationError(problem)


def new_organisation(form, field) -> None:
    """An organisation's name must make a web name that no other organisation has."""
    slug = slugify(field.data or "")
    if not slug:
        raise ValidationError("Use some letters or numbers in the organisation's name")
    if find_organisation(slug) is not None:
        raise ValidationError(
            "An organisation with this name is already set up. If this is a different one, "
            "add to the name, such as the town: Riverside Care Home, Leeds"
        )


def unused_email(form, field) -> None:
    if email_taken(field.data or ""):
        raise ValidationError("This email address already has an account")


def organisation_field(label: str) -> StringField:
    """The name of a new organisation: a care home, home-care service, school or team."""
    return StringField(
        label,
        description="For example, Riverside Care Home.",
        filters=[trimmed],
        validators=[
            DataRequired("Enter the name of the organisation"),
            at_most(MAX_ORGANISATION_NAME, "The name"),
            new_organisation,
        ],
    )


class SetupForm(NewPasswordMixin, FlaskForm):
    organisation = organisation_field("Name of your organisation")
    name = person_name_field()
    email = email_field(
        "Your email address",
        "You will sign in with this. You will be the administrator.",
        "Enter your email address",
        unused_email,
    )
    # Made here, after the fields above, so that problems are listed in the page's order.
    password = new_password_field()
    confirm = confirm_password_field()


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current = PasswordField(
        "Your current password",
        validators=[DataRequired("Enter your current password")],
    )
    password = new_password_field("New password", "Choose a new password")
    confirm = confirm_password_field()

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def password_owner(self) -> tuple[str, str]:
        return self.user.email, self.user.name

    def validate_current(self, field) -> None:
        if not verify_password(self.user.password_hash, field.data or ""):
            raise ValidationError("That is not your current password. Check it and type it again.")

    def validate_password(self, field) -> None:
        super().validate_password(field)
        if field.data and verify_password(self.user.password_hash, field.data):
            raise ValidationError(
                "The new password is the same as your current one. Choose a different one."
            )


class StaffProfileForm(FlaskForm):
    """Say which of the organisation's unclaimed staff profiles is one's own."""

    profile = RadioField(
        "Which is your staff profile?",
        coerce=int,
        # Checked below, with a message that says what may have happened.
        validate_choice=False,
        validators=[InputRequired("Choose your staff profile")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile.choices = [
            SelectChoice(profile.id, f"{profile.name} (last changed {when(profile.updated_at)})")
            for profile in unclaimed_staff_profiles()
        ]

    def validate_profile(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(
                "That staff profile is no longer free to choose: someone may have just said "
                "it is theirs, or deleted it. Choose another, or start your own."
            )
