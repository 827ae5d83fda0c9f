"""The wizard's forms: their labels, help and messages are the words people read."""

from __future__ import annotations

import json
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, StopValidation, ValidationError
from wtforms.widgets import HiddenInput

from ..facts import declared_fact
from ..form_filters import DateInputField, at_most, example_date, not_past, trimmed
from ..kinds import FactDef, SectionDef
from ..kinds.checks import CHECKS, FactProblem
from ..models import (
    MAX_CONSENT_TEXT,
    MAX_FACT_LABEL,
    MAX_FACT_VALUE,
    MAX_HEADING,
    MAX_NAME,
    MAX_PHOTO_DESCRIPTION,
    MAX_PREFERRED_NAME,
    MAX_STATEMENT,
    MAX_WRITTEN_BY,
)
from ..photos import MAX_PHOTO_MB
from ..render import DESIGNS, PAPER_LABELS, PAPERS, PHOTO_CROPS
from ..text import without_controls


def _storable(value):
    # PostgreSQL cannot store NUL, and no one types it: only a broken client sends it.
    return value.replace("\x00", "") if isinstance(value, str) else value


class StorableMeta:
    """Gives every text field a filter that keeps only characters the database can store."""

    def bind_field(self, form, unbound_field, options):
        if issubclass(unbound_field.field_class, StringField):
            filters = [_storable, *unbound_field.kwargs.get("filters", ())]
            options = {**options, "filters": filters}
        return unbound_field.bind(form=form, **options)


class VersionedForm(FlaskForm):
    """A form that remembers which version of the profile it was opened on."""

    class Meta(StorableMeta):
        pass

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    # What a step's boxes held when the page was made (see flow.merge_fields): a save from
    # an older page keeps what someone else changed in the other boxes meanwhile.
    shown = HiddenField()


class PersonForm(VersionedForm):
    name = StringField(
        "Full name",
        description="The name of the person this profile is about.",
        filters=[trimmed],
        validators=[
            DataRequired("Enter the person's full name"),
            at_most(MAX_NAME, "The full name"),
        ],
    )
    preferred_name = StringField(
        "Name they like to be called (optional)",
        description="For example, Peggy for Margaret.",
        filters=[trimmed],
        validators=[at_most(MAX_PREFERRED_NAME, "The name they like to be called")],
    )
    written_by = StringField(
        "Who is writing this profile? (optional)",
        description="Whose voice is it in? For example: Peggy, with her daughter Ann and her "
        "keyworker Sam.",
        filters=[trimmed],
        validators=[at_most(MAX_WRITTEN_BY, "This")],
    )
    language = RadioField(
        "Language of the printed headings",
        choices=[SelectChoice("en", "English"), SelectChoice("cy", "Cymraeg (Welsh)")],
        default="en",
    )


class AboutForm(PersonForm):
    """Who the profile is about and whose voice it is in (agreement has a step of its own)."""


class AgreementForm(VersionedForm):
    consent_self = RadioField(
        "Who agreed to this profile, as it is now, being made and shared?",
        description="Leave this unanswered until they have agreed.",
        choices=[
            SelectChoice("yes", "The person agreed themselves"),
            SelectChoice("no", "Someone acted for them"),
        ],
        validators=[Optional()],
    )
    consent_by = StringField(
        "Name of the person who agreed (the person themselves, or who acted for them)",
        filters=[trimmed],
        validators=[at_most(MAX_CONSENT_TEXT, "The name")],
    )
    consent_relationship = StringField(
        "Their relationship to the person",
        description="Only if someone acted for them. For example: daughter, with lasting "
        "power of attorney for health and welfare.",
        filters=[trimmed],
        validators=[at_most(MAX_CONSENT_TEXT, "This")],
    )
    consent_date = DateInputField(
        "Date they agreed",
        what="Date they agreed",
        description="For example, 26 5 2026.",
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.consent_self.data in ("yes", "no"):
            if not self.consent_by.data:
                self.consent_by.errors.append("Enter the name of the person who agreed")
                valid = False
            if not self.consent_date.data and not self.consent_date.errors:
                self.consent_date.errors.append("Enter the date they agreed")
                valid = False
        if self.consent_date.data and self.consent_date.data > date.today():
            self.consent_date.errors.append("Date they agreed must be today or in the past")
            valid = False
        if self.consent_self.data == "no" and not self.consent_relationship.data:
            self.consent_relationship.errors.append(
                "Say how the person who agreed is related to them, or what their role is"
            )
            valid = False
        return valid


class StartForm(PersonForm):
    kind = RadioField(
        "What kind of profile is this?",
        validators=[DataRequired("Choose what kind of profile this is")],
    )


def _statement_length(form, field) -> None:
    text = (field.data or "").strip()
    if not text:
        raise ValidationError("This statement is empty. Write something, or choose Remove.")
    if len(text) > MAX_STATEMENT:
        raise ValidationError(
            f"This statement has {len(text)} characters. Statements can be up to "
            f"{MAX_STATEMENT}: split it into two shorter statements."
        )


def _answer_lines(form, field) -> None:
    for number, line in enumerate(split_lines(field.data), start=1):
        if len(line) > MAX_STATEMENT:
            raise ValidationError(
                f"Line {number} has {len(line)} characters. Statements can be up to "
                f"{MAX_STATEMENT}: split it over two lines."
            )


def split_lines(text: str | None) -> list[str]:
    """Each non-empty line of an answer becomes one statement."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# How a person settles a statement that they and someone else changed to different words.
CONFLICT_CHOICES = {
    "mine": "Keep your version",
    "theirs": "Keep their version",
    "both": "Keep both, combined as in the box below",
}


class StatementEntry(Form):
    class Meta(StorableMeta):
        pass

    id = HiddenField()
    # The text as the page showed it: a save from an older page keeps what someone else
    # changed meanwhile, statement by statement (see wizard.services.save_section).
    base = HiddenField(filters=[without_controls])
    text = TextAreaField("Statement", filters=[without_controls], validators=[_statement_length])
    # Only on a statement two people changed to different words: nothing is saved for it
    # until the person says which to keep.
    conflict = HiddenField()
    choice = RadioField(
        "Which do you want to keep?",
        choices=[SelectChoice(k, v) for k, v in CONFLICT_CHOICES.items()],
        validators=[Optional()],
    )
    combined = TextAreaField("Both versions, to combine", filters=[without_controls])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.conflict.data:
            return valid
        if self.choice.data not in CONFLICT_CHOICES or (
            # Their version is the one the page showed: a page without it cannot keep it.
            self.choice.data == "theirs" and not (self.base.data or "").strip()
        ):
            self.choice.errors = ["Choose which version of this statement to keep"]
            return False
        if self.choice.data == "both":
            try:
                _statement_length(self, self.combined)
            except ValidationError as exc:
                self.combined.errors = [str(exc)]
                return False
        return valid

    def chosen_text(self) -> str:
        """The statement's text as the person wants it saved."""
        if self.conflict.data and self.choice.data == "theirs":
            return (self.base.data or "").strip()
        if self.conflict.data and self.choice.data == "both":
            return (self.combined.data or "").strip()
        return (self.text.data or "").strip()


class SectionForm(VersionedForm):
    """Built per section by section_form(): a field per prompt is added to a subclass."""

    def answer_fields(self):
        return [self[name] for name in self._answer_names]

    def new_statements(self) -> list[str]:
        return [line for f in self.answer_fields() for line in split_lines(f.data)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.heading_conflict.data and self.heading_choice.data not in ("mine", "theirs"):
            self.heading_choice.errors = ["Choose which heading to keep"]
            valid = False
        return valid

    def chosen_heading(self) -> str:
        """The heading as the person wants it saved."""
        if self.heading_conflict.data and self.heading_choice.data == "theirs":
            return self.heading_base.data or ""
        return self.heading.data or ""


def section_form(section: SectionDef, language: str = "en", formdata=None, **kwargs) -> SectionForm:
    """A form for one section: its heading, its statements and one answer box per prompt."""
    attrs = {
        "heading": StringField(
            "Heading for this section",
            description=f"You can change the words for this profile. The usual heading is "
            f"“{section.heading(language)}”.",
            filters=[trimmed],
            validators=[at_most(MAX_HEADING, "The heading")],
        ),
        # The heading as the page showed it, and, when two people changed it to different
        # words, which of them to keep.
        "heading_base": HiddenField(filters=[trimmed]),
        "heading_conflict": HiddenField(),
        "heading_choice": RadioField(
            "Which heading do you want to keep?",
            choices=[SelectChoice("mine", "Your heading"), SelectChoice("theirs", "Their heading")],
            validators=[Optional()],
        ),
        "statements": FieldList(FormField(StatementEntry)),
        "_answer_names": [],
    }
    for i, prompt in enumerate(section.prompts):
        attrs[f"answer_{i}"] = TextAreaField(
            prompt.question,
            description=prompt.help,
            filters=[without_controls],
            validators=[_answer_lines],
        )
        attrs["_answer_names"].append(f"answer_{i}")
    attrs["answer_more"] = TextAreaField(
        "Anything else for this section? (optional)",
        description="Write one statement per line.",
        filters=[without_controls],
        validators=[_answer_lines],
    )
    attrs["_answer_names"].append("answer_more")
    form_class = type(f"SectionForm_{section.key}", (SectionForm,), attrs)
    return form_class(formdata=formdata, **kwargs)


def _fact_length(form, field) -> None:
    # Said with its length and never cut: a shortened allergy could be a dangerous one.
    if len(field.data or "") > MAX_FACT_VALUE:
        raise StopValidation(
            f"This has {len(field.data)} characters. A key fact can be up to "
            f"{MAX_FACT_VALUE}: keep it short here, and write the rest in a section."
        )


def _fact_check(name: str):
    """A validator that runs one of the kinds' checks (kinds/checks.py) on a typed value."""

    def check(form, field) -> None:
        if field.data:
            try:
                CHECKS[name](field.data)
            except FactProblem as exc:
                raise ValidationError(str(exc)) from None

    return check


class OtherFact(Form):
    """A key fact this kind does not ask for, such as one that came in a file: its own label."""

    class Meta(StorableMeta):
        pass

    label = StringField("Label", filters=[trimmed])
    value = StringField("Fact", filters=[trimmed], validators=[_fact_length])

    def validate_label(self, field) -> None:
        if len(field.data) > MAX_FACT_LABEL:
            raise ValidationError(
                f"This label has {len(field.data)} characters. Labels can be up to "
                f"{MAX_FACT_LABEL}: shorten it."
            )
        if self.value.data and not field.data:
            raise ValidationError(
                "Give this fact a label, or empty its box too to take the fact off the profile"
            )


class FactsForm(VersionedForm):
    """Built per kind by facts_form(): a field per declared fact is added to a subclass,
    then the rows of other facts, so that problems are listed in the page's order."""

    def declared_fields(self):
        """(fact, its box) for each fact the kind asks for, in the kind's order."""
        return [(fact, self[f"fact_{fact.key}"]) for fact in self._declared]

    def declared_values(self) -> dict[str, str]:
        """Each declared fact's value as it is kept: checked ones written their one way."""
        return {
            fact.key: CHECKS[fact.check](field.data) if fact.check and field.data else field.data
            for fact, field in self.declared_fields()
        }

    def validate(self, extra_validators=None) -> bool:
        """Each box's own checks, then the other facts' labels against the facts above."""
        valid = super().validate(extra_validators)
        return self.refuse_declared_labels() and valid

    def refuse_declared_labels(self) -> bool:
        """Refuse an other fact labelled as a fact the kind asks for, in any language.

        Saved, it would skip that fact's check, and the next time the profile is opened it
        would be found as that fact and moved into its box, to fail the check there. What
        was typed stays on the page to be moved up or relabelled.
        """
        refused = False
        for entry in self.others:
            fact = declared_fact(entry.form.label.data or "", self._declared)
            if fact is not None:
                entry.form.label.errors.append(
                    f"{fact.label('en')} is asked for above: put it there, or give this fact "
                    "a label of its own"
                )
                refused = True
        if refused:
            self.others.errors = [entry.errors for entry in self.others]
        return not refused

    def refuse_other(self, message: str) -> None:
        """Say a problem on the first of the other facts, where they can be emptied.

        The rows' list keeps its own record of its rows' problems, made as they were
        checked: it is made again, so the page counts this one as a problem too.
        """
        self.others[0].form.value.errors.append(message)
        self.others.errors = [entry.errors for entry in self.others]

    def other_facts(self) -> list[dict[str, str]]:
        """The other facts in the order shown. Only a row emptied of both label and fact is
        dropped, as the page says: a label a file gave without a value is kept with it."""
        merged = getattr(self, "_merged_others", None)
        if merged is not None:
            return merged
        return [
            {"label": entry.form.label.data, "value": entry.form.value.data}
            for entry in self.others
            if entry.form.label.data or entry.form.value.data
        ]

    # Merging a page from an older version (see flow.merge_fields): the other facts are
    # merged as one box, as JSON; each declared fact is a box of its own.
    def merge_value(self, name: str):
        return json.dumps(self.other_facts()) if name == "others" else self[name].data

    def merge_set(self, name: str, value) -> None:
        if name == "others":
            self._merged_others = json.loads(value)
        else:
            self[name].data = value


# How each check's box is typed into: numbers need no spelling check or autofill.
FACT_INPUTS = {
    "nhs_number": {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"},
    "phone": {"type": "tel", "autocomplete": "off"},
}


def facts_form(facts: tuple[FactDef, ...], language: str = "en", formdata=None, **kwargs):
    """A form for a kind's key facts, one box each, and rows for any other facts."""
    attrs: dict[str, object] = {"_declared": facts}
    for fact in facts:
        hint = fact.hint
        if language != "en" and fact.label(language) != fact.label("en"):
            hint += f" Prints as “{fact.label(language)}”."
        validators = [_fact_length]
        if fact.check:
            validators.append(_fact_check(fact.check))
        attrs[f"fact_{fact.key}"] = StringField(
            f"{fact.label('en')} (optional)",
            description=hint,
            filters=[trimmed],
            validators=validators,
            render_kw=FACT_INPUTS.get(fact.check or "", {"autocomplete": "off"}),
        )
    attrs["others"] = FieldList(FormField(OtherFact))
    form_class = type("FactsForm_kind", (FactsForm,), attrs)
    return form_class(formdata=formdata, **kwargs)


# The crop choices as the photo step offers them, one for each way a photo may print.
CROP_LABELS = {
    "whole": "Show the whole photo",
    "top": "A square from the top",
    "centre": "A square from the centre",
    "bottom": "A square from the bottom",
}


class PhotoForm(VersionedForm):
    photo = FileField(
        "Choose a photo",
        description="A clear, recent photo of the person, chosen with them. JPEG, PNG or "
        f"WebP, up to {MAX_PHOTO_MB} MB. Location and camera details are removed.",
    )
    description = StringField(
        "Describe the photo",
        description="For people who cannot see it. For example: Peggy laughing in her garden.",
        filters=[trimmed],
        validators=[at_most(MAX_PHOTO_DESCRIPTION, "The description")],
    )
    # Shown only once there is a photo to preview; not sent means no change.
    crop = RadioField(
        "How the photo prints",
        description="Choose with the person. The whole photo prints with nothing cut off; a "
        "square fills its space on the page but leaves out the rest of the photo.",
        choices=[SelectChoice(crop, CROP_LABELS[crop]) for crop in PHOTO_CROPS],
        validators=[Optional()],
    )


REVIEW_HINT = (
    "When should this profile be checked again with the person? At least once a year, and "
    "whenever something important changes."
)
# Kinds reviewed more often than once a year say so, and nothing about other kinds.
REVIEW_HINTS = {
    "hospital": "When should this hospital passport be checked again? Every six months, "
    "and before a planned stay in hospital.",
}


def review_hint(kind: str) -> str:
    """The help for the review date, for this kind of profile, with an example date."""
    return f"{REVIEW_HINTS.get(kind, REVIEW_HINT)} For example, {example_date()}"


class ReviewForm(VersionedForm):
    design = RadioField(
        "Design",
        description="How the page is laid out. The preview shows the design that is saved: "
        "choose one, then Save to see it.",
    )
    paper = RadioField("Paper size", default="A4")
    review_due = DateInputField("Review by", what="Review date", description=REVIEW_HINT)

    def validate_review_due(self, field) -> None:
        """Every profile has a review date: boxes sent empty are refused (without it a
        profile would drop off the Reviews page and lose its tags); left out of what was
        sent, the date stays as it was. A new date must not be in the past. A past date
        already saved stays as it is (the profile is overdue, and printing it is not
        blocked): it moves on when the profile is marked reviewed, or when someone types a
        new date here."""
        if field.sent and field.data is None and not field.errors:
            raise ValidationError("Enter the review date")
        if field.data != field.object_data:
            not_past(self, field)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Every design and paper the app has, in its order: added ones appear here by themselves.
        self.design.choices = [SelectChoice(d.name, d.label) for d in DESIGNS.values()]
        self.paper.choices = [SelectChoice(p, PAPER_LABELS.get(p, p)) for p in PAPERS]

    def design_hints(self) -> dict[str, str]:
        """A line under each design saying who or what it suits."""
        return {d.name: d.hint for d in DESIGNS.values()}
