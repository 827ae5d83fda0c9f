"""The print HTML: one template for the on-screen preview and the PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..kinds import Kind
from .assets import TEMPLATES_DIR
from .designs import LABELS, LANGUAGE_TAGS, MONTHS, PAPERS, get_design
from .fetcher import static_url

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")

Assets = Literal["screen", "pdf"]


@cache
def environment() -> Environment:
    """A Jinja environment of our own, so printing works with or without a Flask app."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def asset_resolver(assets: Assets) -> Callable[[str], str]:
    """How the template links a static file: through Flask for browsers, file: for WeasyPrint."""
    if assets == "pdf":
        return static_url
    if assets == "screen":
        from flask import url_for

        return lambda path: url_for("static", filename=path)
    raise ValueError(f"assets must be 'screen' or 'pdf', not {assets!r}")


def print_html(
    document: dict[str, Any],
    kind: Kind,
    font_size: float,
    assets: Assets = "screen",
    notice: str = "",
) -> str:
    """The profile as print HTML at this font size; notice is a note shown on screen only."""
    design = get_design(document.get("layout", {}).get("design", "classic"))
    return (
        environment()
        .get_template(design.template)
        .render(
            profile=print_context(document, kind),
            font_size=font_size,
            asset=asset_resolver(assets),
            stylesheet=design.stylesheet,
            notice=notice if assets == "screen" else "",
        )
    )


def print_context(document: dict[str, Any], kind: Kind) -> dict[str, Any]:
    """Everything the template prints, as plain values: headings resolved, dates written out."""
    language = document.get("language") or "en"
    if language not in LABELS:
        language = "en"
    labels = LABELS[language]
    paper = document.get("layout", {}).get("paper", "A4")
    if paper not in PAPERS:
        raise ValueError(f"Unknown paper '{paper}'. Papers: {', '.join(PAPERS)}.")
    # Text is printed exactly as written; only white space at either end is dropped.
    return {
        "name": document["name"].strip(),
        "preferred_name": document.get("preferred_name", "").strip(),
        "lang": LANGUAGE_TAGS[language],
        "labels": labels,
        "paper": paper,
        "page_size": PAPERS[paper],
        "photo": photo(document, labels),
        "sections": [
            {
                "key": s["key"],
                "heading": section_heading(s, kind, language),
                "items": [item.strip() for item in s["items"]],
            }
            for s in document["sections"]
            if s["items"]
        ],
        "written_by": document.get("written_by", "").strip(),
        "review_due": long_date(document.get("review_due"), language),
        "facts": document.get("facts", []),
    }


def section_heading(section: dict[str, Any], kind: Kind, language: str) -> str:
    """The profile's own heading for a section, else the kind's in the profile's language."""
    return (section.get("heading") or "").strip() or kind.section(section["key"]).heading(language)


def photo(document: dict[str, Any], labels: dict[str, str]) -> dict[str, str] | None:
    """The photo as a data: URL and its alt text, or None."""
    data = document.get("photo")
    if not data:
        return None
    if data["media_type"] not in PHOTO_TYPES:
        raise ValueError(f"Photos must be one of {', '.join(PHOTO_TYPES)}")
    name = document.get("preferred_name") or document["name"]
    return {
        "src": f"data:{data['media_type']};base64,{data['data']}",
        "alt": data.get("description") or f"{labels['photo']} {name}",
    }


def long_date(value: str | None, language: str) -> str:
    """An ISO date written out in full, such as 26 May 2027 or 26 Mai 2027."""
    if not value:
        return ""
    day = date.fromisoformat(value)
    return f"{day.day} {MONTHS[language].split()[day.month - 1]} {day.year}"
