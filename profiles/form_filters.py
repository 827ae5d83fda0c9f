"""Filters, checks and fields that forms in every area share."""

from __future__ import annotations

from datetime import date, datetime

from wtforms import Field, IntegerField, StringField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, NumberRange, StopValidation, ValidationError
from wtforms.widgets import TextInput

from .kinds import months_after
from .models import LINK_DAYS, MAX_LINK_DAYS
from .text import without_controls


def trimmed(value: str | None) -> str:
    """Text without the spaces around it, which nobody means to type, nor invisible controls;
    a field left out of what was sent is empty text, as a blank one is."""
    return without_controls(value).strip() if isinstance(value, str) else ""


class Limit(Length):
    """A length check made when the form is sent, and only then.

    WTForms would also give the box a maxlength, and a browser silently cuts whatever is
    pasted or typed beyond it: the person never sees the message, and loses the rest of
    what they wrote. So the box takes anything, and the message says what is too long.
    """

    def __init__(self, min: int = -1, max: int = -1, message: str | None = None) -> None:
        super().__init__(min, max, message)
        self.field_flags = {}


def at_most(limit: int, what: str = "This") -> Limit:
    """A length limit that says it in words: 'The heading can be up to 80 characters'."""
    return Limit(max=limit, message=f"{what} can be up to {limit} characters")


DAYS_MESSAGE = f"Enter a number of days from 1 to {MAX_LINK_DAYS}, such as {LINK_DAYS}"


class DaysField(IntegerField):
    """How many days a link works: a whole number from 1 to MAX_LINK_DAYS, LINK_DAYS unless
    changed, with a message in plain words when it is not one; a plain text box, as GOV.UK
    advises for numbers, and what was typed is shown again as it was."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        checks = [
            DataRequired(message=DAYS_MESSAGE),
            NumberRange(min=1, max=MAX_LINK_DAYS, message=DAYS_MESSAGE),
        ]
        kwargs.setdefault("default", LINK_DAYS)
        super().__init__(label, [*checks, *(validators or ())], **kwargs)

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        if not (text.isascii() and text.isdigit()) or len(text) > 6:
            raise ValueError(DAYS_MESSAGE)
        self.data = int(text)


class UKDateField(StringField):
    """A date typed as people in the UK write it; a plain text box, so nothing is dropped
    silently the way a browser's date picker drops a date that does not exist."""

    FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")

    def __init__(self, *args, message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.message = message or ("Enter a real date: day, month and year, for example 26/05/2027")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        text = " ".join((valuelist[0] if valuelist else "").split())
        self.data = None
        if not text:
            return
        for pattern in self.FORMATS:
            try:
                self.data = datetime.strptime(text, pattern).date()
                return
            except ValueError:
                continue
        raise ValueError(self.message)


MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in (
        date(2000, number, 1).strftime("%B").casefold(),
        date(2000, number, 1).strftime("%b").casefold(),
    )
}


class DateInputField(Field):
    """A date asked for as GOV.UK asks: day, month and year, each in a box of its own.

    The boxes are sent as NAME-day, NAME-month and NAME-year. A form sent without any of
    them leaves the date as it was given (a choice left out stays as it was); boxes sent
    empty leave no date, or say it is needed when `required`. What was typed is shown
    again as it was, with a message in GOV.UK's words: "Review date must include a month",
    "Review date must be a real date".
    """

    PARTS = ("day", "month", "year")

    def __init__(self, label=None, validators=None, what: str = "Date", required: bool = False,
                 **kwargs):  # fmt: skip
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.required = required
        self.parts = dict.fromkeys(self.PARTS, "")
        self.sent = False

    def part_name(self, part: str) -> str:
        return f"{self.name}-{part}"

    def part_id(self, part: str) -> str:
        # The first box carries the field's own id, so the error summary's link reaches it.
        return self.id if part == "day" else f"{self.id}-{part}"

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = self.data = data
        self.parts = (
            {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
            if isinstance(data, date)
            else dict.fromkeys(self.PARTS, "")
        )
        names = [self.part_name(part) for part in self.PARTS]
        self.sent = formdata is not None and any(name in formdata for name in names)
        if not self.sent:
            return
        self.parts = {
            part: " ".join(str(formdata.get(self.part_name(part), "")).split())
            for part in self.PARTS
        }
        try:
            self.data = self.parsed()
        except ValueError as exc:
            self.data = None
            self.process_errors.append(exc.args[0])

    def parsed(self) -> date | None:
        """The date the boxes hold, None when all are empty; ValueError says what is wrong."""
        missing = [part for part in self.PARTS if not self.parts[part]]
        if len(missing) == len(self.PARTS):
            if self.required:
                raise ValueError(f"Enter the {self.what.lower()}")
            return None
        if missing:
            raise ValueError(f"{self.what} must include a {' and '.join(missing)}")
        day, month, year = (self.parts[part] for part in self.PARTS)
        month_number = MONTH_NAMES.get(month.casefold()) or (int(month) if month.isdigit() else 0)
        if not (day.isdigit() and year.isdigit() and len(year) == 4 and month_number):
            raise ValueError(f"{self.what} must be a real date")
        try:
            return date(int(year), month_number, int(day))
        except ValueError:
            raise ValueError(f"{self.what} must be a real date") from None

    def pre_validate(self, form) -> None:
        # Boxes left out of what was sent are as empty as boxes sent blank.
        if self.required and self.data is None and not self.process_errors:
            raise StopValidation(f"Enter the {self.what.lower()}")

    def _value(self) -> str:
        return self.data.isoformat() if isinstance(self.data, date) else ""


def example_date(today: date | None = None) -> str:
    """A date to show how a future date is typed in the three boxes ("27 2 2027"): three
    months from today, so that typing the example is never refused as past."""
    example = months_after(today or date.today(), 3)
    return f"{example.day} {example.month} {example.year}"


def not_past(form, field) -> None:
    """Refuse a date before today, in GOV.UK's words."""
    if field.data is not None and field.data < date.today():
        raise ValidationError(f"{field.what} must be today or in the future")
