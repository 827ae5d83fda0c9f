"""Forms for inviting contributions, for contributing, and for deciding on a contribution."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from ..form_filters import DaysField, at_most, trimmed
from ..models import (
    MAX_CONTRIBUTOR,
    MAX_INVITE_LABEL,
    MAX_LINK_DAYS,
    MAX_RELATIONSHIP,
    MAX_STATEMENT,
)
from ..wizard.forms import StorableMeta
from .services import Offered


class InviteForm(FlaskForm):
    class Meta(StorableMeta):
        pass

    label = StringField(
        "Who is it for? (optional)",
        description="Only staff see this, to tell links apart. For example: Margaret's family.",
        filters=[trimmed],
        validators=[at_most(MAX_INVITE_LABEL, "Who it is for")],
    )
    allow_suggestions = RadioField(
        "What can they add?",
        choices=[
            SelectChoice("no", "What they appreciate about the person"),
            SelectChoice(
                "yes",
                "What they appreciate, and suggestions for what is important to the person "
                "and how to support them",
            ),
        ],
        default="no",
        validators=[DataRequired("Choose what they can add")],
    )
    days = DaysField(
        "How many days should the link work?",
        description=f"Up to {MAX_LINK_DAYS} days. You can stop it working sooner at any time.",
    )


def _within_statement(form, field) -> None:
    text = (field.data or "").strip()
    if len(text) > MAX_STATEMENT:
        raise ValidationError(
            f"This has {len(text)} characters. Each answer can be up to {MAX_STATEMENT}: "
            "shorten it, keeping what matters most."
        )


class ContributeForm(FlaskForm):
    """A contributor's name, how they know the person, and an answer for each section
    offered; at least one answer. How they know the person (by name) and the answer fields
    are added per invitation.

    No CSRF token: the link's token is the secret. A contributor whose session is lost
    (cookies cleared, or back after a day) would otherwise be refused, losing what they
    wrote; and anyone who could forge this post already holds the token, with which they
    could send it themselves (see contributions.routes.contribute).
    """

    class Meta(StorableMeta):
        csrf = False

    contributor_name = StringField(
        "Your name",
        filters=[trimmed],
        validators=[DataRequired("Enter your name"), at_most(MAX_CONTRIBUTOR, "Your name")],
    )

    def answer_fields(self) -> list:
        return [field for name, field in self._fields.items() if name.startswith("answer_")]

    def answers(self) -> dict[str, str]:
        """Each answered section's text, by section key."""
        return {
            field.name.removeprefix("answer_"): field.data
            for field in self.answer_fields()
            if field.data
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        answers = self.answer_fields()
        if answers and not any(field.data for field in answers):
            answers[0].errors = [*answers[0].errors, "Write something in at least one box"]
            return False
        return valid


def contribute_form(offered: list[Offered], name: str, **kwargs) -> ContributeForm:
    """The contributor's form, asking how they know the person by the name given, with one
    answer box for each section they are asked about."""
    fields = {
        "contributor_relationship": StringField(
            f"How do you know {name}?",
            description="For example: daughter, friend from church, keyworker at the day centre.",
            filters=[trimmed],
            validators=[
                DataRequired(f"Enter how you know {name}"),
                at_most(MAX_RELATIONSHIP, f"How you know {name}"),
            ],
        )
    }
    for section in offered:
        fields[f"answer_{section.key}"] = TextAreaField(
            section.question,
            description=section.hint,
            filters=[trimmed],
            validators=[_within_statement],
        )
    return type("ContributeFormFor", (ContributeForm,), fields)(**kwargs)


class DecideForm(FlaskForm):
    """Staff's version of a contribution, to accept as it stands or edited, or to decline."""

    class Meta(StorableMeta):
        pass

    text = TextAreaField("What they wrote", filters=[trimmed])
