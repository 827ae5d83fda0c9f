"""Filters and checks every form shares."""

from __future__ import annotations

from wtforms.validators import Length


def trimmed(value: str | None) -> str | None:
    """Text without the spaces around it, which nobody means to type."""
    return value.strip() if isinstance(value, str) else value


def at_most(limit: int, what: str = "This") -> Length:
    """A length limit that says it in words: 'The heading can be up to 80 characters'."""
    return Length(max=limit, message=f"{what} can be up to {limit} characters")
