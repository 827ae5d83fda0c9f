"""Forms for finding and deleting profiles."""

from flask_wtf import FlaskForm
from wtforms import SearchField, StringField
from wtforms.validators import DataRequired, ValidationError


class SearchForm(FlaskForm):
    # Sent by POST, so that a person's name never appears in an address or a server log.
    q = SearchField(
        "Search by name", description="Part of a first name, surname or preferred name."
    )


class DeleteForm(FlaskForm):
    """Deleting cannot be undone, so the person types the profile's name to confirm."""

    confirm = StringField(
        "To confirm, type the person's full name",
        validators=[DataRequired("Type the person's full name to confirm")],
    )

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_name = name

    def validate_confirm(self, field) -> None:
        typed = " ".join((field.data or "").split()).casefold()
        if typed != " ".join(self.expected_name.split()).casefold():
            raise ValidationError(
                "That is not the name on this profile. Type the full name exactly as it is "
                "shown above, or go back if this is the wrong profile."
            )
