"""Forms for naming groups and choosing who is in them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..form_filters import at_most, trimmed
from ..models import MAX_GROUP_NAME, Group
from .services import name_taken


class GroupForm(FlaskForm):
    name = StringField(
        "Name of the group",
        description="For example a unit, a floor or a team, such as “Rowan unit”.",
        filters=[trimmed],
        validators=[
            DataRequired("Enter a name for the group"),
            at_most(MAX_GROUP_NAME, "A group's name"),
        ],
    )

    def __init__(self, *args, group: Group | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def validate_name(self, field) -> None:
        if name_taken(field.data, but=self.group):
            raise ValidationError(
                "There is already a group with that name. Choose another name, or open that "
                "group from the list of groups."
            )


class ProfileChoices(SelectMultipleField):
    """Checkboxes, one for each of the organisation's profiles."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(
                "One of the profiles chosen is not in your organisation's list any more. "
                "Choose again from the list below."
            )


class MembersForm(FlaskForm):
    profiles = ProfileChoices(
        "Profiles in this group",
        description="Tick everyone who belongs in this group, then save.",
        coerce=int,
    )


class DeleteGroupForm(FlaskForm):
    """Only the button: deleting a group deletes no profile."""
