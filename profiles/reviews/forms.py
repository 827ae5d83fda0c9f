"""The form for marking a profile reviewed: its labels and messages are the words people read."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from ..form_filters import DateInputField, at_most, not_past, trimmed
from ..models import MAX_REVIEW_NOTE, MAX_REVIEW_PEOPLE
from ..wizard.forms import StorableMeta


class ReviewedForm(FlaskForm):
    class Meta(StorableMeta):
        pass

    took_part = StringField(
        "Who took part in the review? (optional)",
        description="The person, and anyone who helped. For example: Peggy and her daughter Ann.",
        filters=[trimmed],
        validators=[at_most(MAX_REVIEW_PEOPLE, "This")],
    )
    note = TextAreaField(
        "What did you find or change? (optional)",
        description="For example: still accurate; added that she now walks with a frame.",
        filters=[trimmed],
        validators=[at_most(MAX_REVIEW_NOTE, "The note")],
    )
    next_due = DateInputField(
        "When should it be reviewed next?",
        what="Review date",
        required=True,
        validators=[not_past],
    )
