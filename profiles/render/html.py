"""The print HTML: one template for the on-screen preview and the PDF."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import combinations, pairwise
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..kinds import Kind
from .assets import TEMPLATES_DIR
from .designs import LABELS, LANGUAGE_TAGS, MONTHS, PAPERS, PHOTO_CROPS, get_design
from .passport import passport_page

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


@dataclass(frozen=True)
class Screen:
    """What a browser needs that a PDF does not."""

    asset: Callable[[str], str]  # the address of a static file, such as css/print-classic.css
    photo: str = ""  # the address of the photo, which the browser fetches (and keeps) itself
    nonce: str = ""  # the page's Content-Security-Policy nonce, for its one <style> block
    notice: str = ""  # a note shown above the page, never printed


@cache
def environment() -> Environment:
    """A Jinja environment of the renderer's own, so printing needs no web app."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["arrange"] = arrange
    # A layout's own arrangement of the context, worked out in Python where it is tested.
    env.globals["passport_page"] = passport_page
    return env


def arrange(sections: list[dict[str, Any]], count: int = 2) -> dict[str, Any]:
    """The sections set out for a layout of columns: the first beside the photo, the rest
    in up to count columns, in order, as evenly filled as their text allows.

    Beside the photo goes what people appreciate about the person, as the practice's
    familiar shape has it, else the first section (a hospital passport's red one).
    """
    if not sections:
        return {"first": None, "columns": []}
    first = next((s for s in sections if s["key"] == "appreciation"), sections[0])
    rest = [s for s in sections if s is not first]
    return {"first": first, "columns": balanced(rest, count)}


def balanced(sections: list[dict[str, Any]], count: int) -> list[list[dict[str, Any]]]:
    """Sections in order split into at most count columns, the fullest as short as can be.

    A section weighs its text and a little for its heading and box; a statement that wraps
    weighs more than one that does not, roughly in proportion to its letters.
    """
    weights = [60 + sum(20 + len(item) for item in s["items"]) for s in sections]
    count = min(count, len(sections))
    if count <= 1:
        return [sections] if sections else []
    best: tuple[float, list[list[dict[str, Any]]]] | None = None
    for cuts in combinations(range(1, len(sections)), count - 1):
        bounds = (0, *cuts, len(sections))
        columns = [sections[a:b] for a, b in pairwise(bounds)]
        fullest = max(sum(weights[a:b]) for a, b in pairwise(bounds))
        if best is None or fullest < best[0]:
            best = (fullest, columns)
    return best[1]


def print_html(
    document: dict[str, Any], kind: Kind, font_size: float, screen: Screen | None = None
) -> str:
    """The profile as print HTML at this font size: for the PDF, or for a browser given screen.

    The PDF's HTML links no stylesheet: the layout engine is given it already parsed, so it
    is read once per process rather than once per layout (see fit.stylesheet).
    """
    design = get_design(document.get("layout", {}).get("design", "classic"))
    return (
        environment()
        .get_template(design.template)
        .render(
            profile=print_context(document, kind, screen),
            font_size=font_size,
            stylesheet=design.stylesheet,
            screen=screen,
        )
    )


def print_context(
    document: dict[str, Any], kind: Kind, screen: Screen | None = None
) -> dict[str, Any]:
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
        "photo": photo(document, labels, screen.photo if screen else ""),
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
        "facts": [
            {"label": f["label"], "value": kept_together(f["value"]), "alert": is_alert(f["label"])}
            for f in document.get("facts", [])
        ],
        "kind": document["kind"],
        # A profile nobody has agreed to yet prints saying so (see printing.print_document).
        "draft": bool(document.get("draft")),
        **branding(document.get("branding") or {}),
    }


# A key fact whose label names allergies is printed so that nobody can miss it.
ALERT_WORDS = ("allerg", "alerg")


# A number written in groups, such as an NHS or phone number: short, digits and the signs
# people write between them.
NUMBER = re.compile(r"[\d+()\-][\d +()\-]{0,22}\d")


def kept_together(value: str) -> str:
    """Numbers such as 943 476 5919 or 07700 900123 each on one line, alone or among words
    ("Sam, 01632 960123"): split over two, in a narrow column, a number is easily misread.
    Their spaces become spaces that do not break."""
    return NUMBER.sub(lambda number: number.group().replace(" ", "\u00a0"), value.strip())


def is_alert(label: str) -> bool:
    """Whether a key fact must stand out on the page, such as allergies (English or Welsh)."""
    folded = label.casefold()
    return any(word in folded for word in ALERT_WORDS)


def branding(given: dict[str, Any]) -> dict[str, Any]:
    """The organisation's accent colour (#rrggbb, or None) and logo ({src, alt}, or None).

    Both are checked where they are stored; the colour is checked again here because it
    is written into the page's style.
    """
    accent = given.get("accent")
    if accent is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", accent):
        raise ValueError(f"An accent colour is written #rrggbb, not {accent!r}")
    logo = given.get("logo")
    if logo:
        if logo["media_type"] not in PHOTO_TYPES:
            raise ValueError(f"Logos must be one of {', '.join(PHOTO_TYPES)}")
        logo = {
            "src": logo.get("address") or f"data:{logo['media_type']};base64,{logo['data']}",
            "alt": logo.get("description", ""),
        }
    return {"accent": accent, "logo": logo or None}


def section_heading(section: dict[str, Any], kind: Kind, language: str) -> str:
    """The profile's own heading for a section, else the kind's in the profile's language."""
    return (section.get("heading") or "").strip() or kind.section(section["key"]).heading(language)


def photo(
    document: dict[str, Any], labels: dict[str, str], address: str = ""
) -> dict[str, str] | None:
    """The photo's source (its address, else a data: URL of its data) and alt text, or None."""
    data = document.get("photo")
    if not data:
        return None
    if data["media_type"] not in PHOTO_TYPES:
        raise ValueError(f"Photos must be one of {', '.join(PHOTO_TYPES)}")
    name = document.get("preferred_name") or document["name"]
    return {
        "src": address or f"data:{data['media_type']};base64,{data['data']}",
        "alt": data.get("description") or f"{labels['photo']} {name}",
        # "whole": the whole picture, uncropped; "top", "centre", "bottom": a square
        # cropped from that part of it, as the person chose on the photo step.
        "crop": data.get("crop") if data.get("crop") in PHOTO_CROPS else "whole",
        "width": data.get("width"),
        "height": data.get("height"),
    }


def long_date(value: str | None, language: str) -> str:
    """An ISO date written out in full, such as 26 May 2027 or 26 Mai 2027."""
    if not value:
        return ""
    day = date.fromisoformat(value)
    return f"{day.day} {MONTHS[language].split()[day.month - 1]} {day.year}"
