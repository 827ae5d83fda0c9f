"""Forms for finding and deleting profiles."""

from flask_wtf import FlaskForm
from wtforms import SearchField, StringField
from wtforms.validators import DataRequired, ValidationError

from ..form_filters import at_most, trimmed
from ..models import MAX_NAME


class SearchForm(FlaskForm):
    # Sent by POST, so that a person's name never appears in an address or a server log.
    q = SearchField(
        "Search by name",
        description="Part of a first name, surname or preferred name.",
        filters=[trimmed],
        # No name is longer, so a longer search could find nothing.
        validators=[at_most(MAX_NAME, "A search")],
    )


class DeleteForm(FlaskForm):
    """Deleting cannot be undone, so the person types the profile's name to confirm."""

    confirm = StringField(
        "To confirm, type the person's full name",
        filters=[trimmed],
        validators=[
            DataRequired("Type the person's full name to confirm"),
            at_most(MAX_NAME, "A name"),
        ],
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
