"""Forms for finding and deleting profiles."""

from flask_wtf import FlaskForm
from wtforms import SearchField


class SearchForm(FlaskForm):
    # Sent by POST, so that a person's name never appears in an address or a server log.
    q = SearchField(
        "Search by name", description="Part of a first name, surname or preferred name."
    )


class DeleteForm(FlaskForm):
    """Only the CSRF token: the confirmation page is the question."""
