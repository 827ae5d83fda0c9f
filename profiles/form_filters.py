"""Filters, checks and fields that forms in every area share."""

from __future__ import annotations

from datetime import datetime

from wtforms import StringField
from wtforms.validators import Length

from .text import without_controls


def trimmed(value: str | None) -> str:
    """Text without the spaces around it, which nobody means to type, nor invisible controls;
    a field left out of what was sent is empty text, as a blank one is."""
    return without_controls(value).strip() if isinstance(value, str) else ""


def at_most(limit: int, what: str = "This") -> Length:
    """A length limit that says it in words: 'The heading can be up to 80 characters'."""
    return Length(max=limit, message=f"{what} can be up to {limit} characters")


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
