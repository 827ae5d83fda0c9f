"""Filters every form shares."""

from __future__ import annotations


def trimmed(value: str | None) -> str | None:
    """Text without the spaces around it, which nobody means to type."""
    return value.strip() if isinstance(value, str) else value
