"""Helpers the templates share."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from wtforms import Field, FieldList, FormField

from .render import shorten_advice


def form_problems(*forms) -> list[tuple[str, str]]:
    """Every (field id, message) in the forms, nested lists included, in page order."""
    problems: list[tuple[str, str]] = []

    def walk(field: Field) -> None:
        if isinstance(field, FieldList):
            for entry in field.entries:
                walk(entry)
        elif isinstance(field, FormField):
            for sub in field.form:
                walk(sub)
        else:
            # A group of radios is reached through its first choice.
            target = f"{field.id}-0" if field.type == "RadioField" else field.id
            problems.extend((target, message) for message in field.errors)

    for form in forms:
        if form is not None:
            for field in form:
                walk(field)
    return problems


UK_TIME = ZoneInfo("Europe/London")


def when(value: datetime | None) -> str:
    """A date and time people read easily, such as 26 November 2026 at 2:05pm."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite gives back the UTC time without its zone
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UK_TIME)
    hour = value.strftime("%I").lstrip("0")
    return f"{value.day} {value:%B %Y} at {hour}:{value:%M}{value:%p}".replace("AM", "am").replace(
        "PM", "pm"
    )


def day(value: date | datetime | None) -> str:
    """A date people read easily, such as 3 March 2026 (a time's date in the UK)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UK_TIME)
    return f"{value.day} {value:%B %Y}"


def init_app(app: Flask) -> None:
    """Make the helpers available in every template."""
    app.jinja_env.globals["form_problems"] = form_problems
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["shorten_advice"] = shorten_advice
