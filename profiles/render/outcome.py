"""What fitting a profile on one page gave: the PDF, or which sections to shorten."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Outcome:
    """What fitting gave: a one-page PDF and its font size, or which sections to shorten."""

    fits: bool
    paper: str
    pdf: bytes | None = None
    font_size: float | None = None
    overflow: list[dict[str, Any]] = field(default_factory=list)
    layouts: int = 0  # how many layouts this took; 0 when it came from the cache
    cached: bool = False

    @property
    def messages(self) -> list[str]:
        """One sentence per section to shorten, such as 'Likes: remove about 3 statements'."""
        return [f"{item['heading']}: {shorten_advice(item)}" for item in self.overflow]


def shorten_advice(item: dict) -> str:
    """How much to take out of one section that is too long, in plain words."""
    return f"remove about {item['remove']} statement{'' if item['remove'] == 1 else 's'}"
