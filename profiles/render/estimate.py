"""A first guess, before any layout, at the size a profile will fit at.

A fit lays the page out at this size first. When the guess is right, that first layout is
the one printed, and a profile printed for the first time takes one layout, as a plain
render does; when it is a step out, the layout's measurement corrects it (see fit.py), so
only speed ever rides on it, never the size chosen.

The guess adds up the page as the design's stylesheet sets it out: each statement's lines,
wrapped at the width the stylesheet leaves them, with the words' widths from the bundled
fonts; the headings, paddings and borders; the name and key facts beside the photo; the
footer. The proportions below follow the stylesheet: a test compares the guesses with
real fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .designs import PAPER_SIZES, STEP, Design
from .html import arrange, is_alert
from .measure import Paragraph, text_width

PX_PER_MM = 96 / 25.4
PX_PER_PT = 96 / 72
LOGO_GAP_MM = 6  # between the footer's words and the logo (print-parts.css)


@dataclass(frozen=True)
class Proportions:
    """How a design sets out a page: lengths in em of its text, in px, or in mm."""

    margin_mm: float  # @page margin
    line_height: float  # of running text
    text_inset_em: float  # a statement's line is this much narrower than the page...
    text_inset_px: float  # ...and this (the section's borders)
    item_gap_em: float  # between statements
    section_em: float  # a section's padding, heading and margin
    section_px: float  # its borders
    name_em: float  # the name's line height, its size included
    name_size: float  # the name's size in em, for wrapping it
    known_as_em: float  # the "known as" line
    header_em: float  # space and rule under the name and photo...
    header_px: float
    photo_mm: dict[str, tuple[float, float]]  # the photo's width and tallest, by paper...
    photo_px: float  # ...and a cropped photo's borders
    photo_gap_mm: float  # between the name and the photo
    footer_em: float  # the footer's padding...
    footer_px: float  # ...and rule
    footer_line_em: float  # one line of the footer
    footer_gap_em: float  # between its lines
    facts_heading_em: float
    fact_em: float  # one line of a key fact
    fact_gap_em: float  # between key facts
    alert_em: float  # an allergy's padding...
    alert_px: float  # ...and frame
    logo_mm: tuple[float, float]  # the logo's widest and tallest
    section_margin_em: float = 0.75  # under a section, in section_em: none under a column's last
    column_gap_mm: float = 0.0  # between columns side by side
    row_em: float = 0.0  # under a row of columns


# static/css/print-classic.css
CLASSIC = Proportions(
    margin_mm=12,
    line_height=1.35,
    text_inset_em=0.9 * 2 + 1.3,
    text_inset_px=1.5 * PX_PER_PT * 2,
    item_gap_em=0.25,
    section_em=0.5 + 0.6 + 1.15 * 1.25 + 0.3 + 0.75,
    section_px=1.5 * PX_PER_PT * 2,
    name_em=2 * 1.15,
    name_size=2,
    known_as_em=1.3 * 1.25 + 0.15,
    header_em=0.9 + 0.6,
    header_px=2 * PX_PER_PT,
    photo_mm={"A4": (50, 65), "Letter": (50, 65), "A5": (38, 50)},
    photo_px=1 * PX_PER_PT * 2,
    photo_gap_mm=6,
    footer_em=0.4,
    footer_px=1 * PX_PER_PT,
    footer_line_em=0.9 * 1.35,
    footer_gap_em=0.2,
    facts_heading_em=1.25 + 0.5,
    fact_em=1.3,
    fact_gap_em=0.2,
    alert_em=0.15 * 2,
    alert_px=1.5 * PX_PER_PT * 2,
    logo_mm=(40, 12),
)

# static/css/print-columns.css
COLUMNS = Proportions(
    margin_mm=12,
    line_height=1.35,
    text_inset_em=0.8 * 2 + 1.3,
    text_inset_px=1.5 * PX_PER_PT * 2,
    item_gap_em=0.25,
    section_em=0.5 + 0.6 + 1.15 * 1.25 + 0.3 + 0.75,
    section_px=1.5 * PX_PER_PT * 2,
    name_em=2 * 1.15,
    name_size=2,
    known_as_em=1.3 * 1.25 + 0.15,
    header_em=0.75 + 0.4,
    header_px=2 * PX_PER_PT,
    photo_mm={"A4": (52, 62), "Letter": (52, 62), "A5": (40, 48)},
    photo_px=1 * PX_PER_PT * 2,
    photo_gap_mm=5,
    footer_em=0.4,
    footer_px=1 * PX_PER_PT,
    footer_line_em=0.9 * 1.35,
    footer_gap_em=0.2,
    facts_heading_em=1.25 + 0.5,
    fact_em=1.3,
    fact_gap_em=0.2,
    alert_em=0.15 * 2,
    alert_px=1.5 * PX_PER_PT * 2,
    logo_mm=(40, 12),
    column_gap_mm=5,
    row_em=0.75,
)

# static/css/print-easy-read.css: the symbol's column and the bullet inset the words; the
# key facts are a part like the others. A "whole" photo is often a portrait, taller than
# it is wide, so the photo counts a little taller than its width.
EASY_READ = Proportions(
    margin_mm=12,
    line_height=1.4,
    text_inset_em=2.9 + 1.1,
    text_inset_px=0,
    item_gap_em=0.35,
    section_em=1.25 * 1.25 + 0.25 + 0.9,
    section_px=0,
    name_em=1.8 * 1.15,
    name_size=1.8,
    known_as_em=1.25 * 1.3 + 0.2,
    header_em=0.8 + 0.6,
    header_px=2.5 * PX_PER_PT,
    photo_mm={"A4": (42, 46), "Letter": (42, 46), "A5": (26, 33)},
    photo_px=1 * PX_PER_PT * 2,
    photo_gap_mm=5,
    footer_em=0.5,
    footer_px=1 * PX_PER_PT,
    footer_line_em=1.4,
    footer_gap_em=0.25,
    facts_heading_em=1.25 * 1.25 + 0.25 + 0.9,
    fact_em=1.4,
    fact_gap_em=0.2,
    alert_em=0.15 * 2,
    alert_px=1.5 * PX_PER_PT * 2,
    logo_mm=(40, 14),
)

# static/css/print-passport.css: each band is a heading bar and a list in a border; the key
# facts sit in a box of their own at the top (its padding and the larger allergy line are
# in facts_heading_em), and the title "Hospital passport" is part of the header.
PASSPORT = Proportions(
    margin_mm=12,
    line_height=1.35,
    text_inset_em=0.8 * 2 + 1.2,
    text_inset_px=2 * PX_PER_PT * 2,
    item_gap_em=0.2,
    section_em=1.15 * 1.25 + 0.4 + 0.35 + 0.45 + 0.6,
    section_px=2 * PX_PER_PT * 2,
    name_em=2 * 1.15,
    name_size=2,
    known_as_em=1.3 * 1.25 + 0.1,
    header_em=0.6 + 0.5 + 1.3,
    header_px=2 * PX_PER_PT,
    photo_mm={"A4": (34, 40), "Letter": (34, 40), "A5": (22, 29)},
    photo_px=1 * PX_PER_PT * 2,
    photo_gap_mm=5,
    footer_em=0.35 + 0.6,
    footer_px=1 * PX_PER_PT,
    footer_line_em=0.9 * 1.35,
    footer_gap_em=0.15,
    facts_heading_em=1.15 * 1.25 + 0.25 + 0.9 + 0.6 + 1.5,
    fact_em=1.35,
    fact_gap_em=0.15,
    alert_em=0.3 * 2,
    alert_px=2 * PX_PER_PT * 2,
    logo_mm=(36, 12),
)

PROPORTIONS = {
    "classic": CLASSIC,
    "columns": COLUMNS,
    "easy-read": EASY_READ,
    "passport": PASSPORT,
}


def lines(text: str, width_em: float, weight: int = 400, size_em: float = 1.0) -> int:
    """How many lines text takes at this width, wrapped at spaces as measure.py wraps."""
    space = text_width(" ", weight) * size_em
    words = [(space, text_width(word, weight) * size_em) for word in text.split()]
    return Paragraph(width_em, 0.0, words=words).count_lines(1.0)


def content_height(document: dict[str, Any], p: Proportions, size: float) -> float:
    """The page's content at this font size, in px, as the stylesheet would set it out."""
    width_mm, _ = PAPER_SIZES[document.get("layout", {}).get("paper", "A4")]
    em = size * PX_PER_PT
    page = (width_mm - 2 * p.margin_mm) * PX_PER_MM
    height = sum(section_height(s, p, page, em) for s in document.get("sections", ()))
    paper = document.get("layout", {}).get("paper", "A4")
    photo = photo_size(document.get("photo"), p.photo_mm.get(paper, p.photo_mm["A4"]))
    beside = (photo[0] + p.photo_gap_mm) * PX_PER_MM if photo else 0.0
    name_width = (page - beside) / em
    name = lines(document.get("name", ""), name_width, 700, p.name_size) * p.name_em * em
    if document.get("preferred_name"):
        name += p.known_as_em * em
    name += facts_height(document.get("facts") or (), p, name_width, em)
    cropped = photo and (document["photo"].get("crop") or "whole") != "whole"
    height += max(name, photo[1] * PX_PER_MM + p.photo_px * cropped if photo else 0.0)
    height += p.header_em * em + p.header_px
    return height + footer_height(document, p, page, em)


def section_height(section: dict[str, Any], p: Proportions, width: float, em: float) -> float:
    """One section's box, its margin under it included, at this width in px; 0 if empty."""
    items = section.get("items") or []
    if not items:
        return 0.0
    text = (width - p.text_inset_px) / em - p.text_inset_em
    count = sum(lines(item, text) for item in items)
    height = count * p.line_height * em + (len(items) - 1) * p.item_gap_em * em
    return height + p.section_em * em + p.section_px


def column_height(sections: list[dict[str, Any]], p: Proportions, width: float, em: float) -> float:
    """Sections stacked in one column, with no margin under the last."""
    height = sum(section_height(s, p, width, em) for s in sections)
    return height - p.section_margin_em * em if sections else 0.0


def columns_height(document: dict[str, Any], p: Proportions, size: float) -> float:
    """The "columns" page at this font size, in px: the name across the top, the photo and
    key facts beside the first section, the other sections in columns, the footer."""
    paper = document.get("layout", {}).get("paper", "A4")
    width_mm, _ = PAPER_SIZES[paper]
    em = size * PX_PER_PT
    page = (width_mm - 2 * p.margin_mm) * PX_PER_MM
    gap = p.column_gap_mm * PX_PER_MM
    name = lines(document.get("name", ""), page / em, 700, p.name_size) * p.name_em * em
    if document.get("preferred_name"):
        name += p.known_as_em * em
    height = name + p.header_em * em + p.header_px
    laid = arrange([s for s in document.get("sections", ()) if s.get("items")])
    side_mm = p.photo_mm.get(paper, p.photo_mm["A4"])
    photo = photo_size(document.get("photo"), side_mm)
    facts = document.get("facts") or ()
    side = 0.0
    if photo:
        cropped = (document["photo"].get("crop") or "whole") != "whole"
        side = photo[1] * PX_PER_MM + p.photo_px * cropped
    side += facts_height(facts, p, side_mm[0] * PX_PER_MM / em, em)
    beside = (side_mm[0] * PX_PER_MM + gap) if photo or facts else 0.0
    first = column_height([laid["first"]] if laid["first"] else [], p, page - beside, em)
    if side or first:
        height += max(side, first) + p.row_em * em
    if laid["columns"]:
        width = (page - gap * (len(laid["columns"]) - 1)) / len(laid["columns"])
        height += max(column_height(c, p, width, em) for c in laid["columns"]) + p.row_em * em
    return height + footer_height(document, p, page, em)


def photo_size(
    photo: dict[str, Any] | None, largest: tuple[float, float]
) -> tuple[float, float] | None:
    """The photo's printed width and height in mm, or None without one: a crop is square;
    the whole picture follows its shape (square when not known) up to the tallest."""
    if not photo:
        return None
    width, tallest = largest
    if (photo.get("crop") or "whole") != "whole":
        return width, width
    shape = (photo.get("height") or 1) / (photo.get("width") or 1)
    return width, min(width * shape, tallest)


def facts_height(facts: Any, p: Proportions, width_em: float, em: float) -> float:
    """The key facts under the name, each a line or more of "label: value"."""
    if not facts:
        return 0.0
    height = p.facts_heading_em * em
    for fact in facts:
        label, value = str(fact.get("label", "")), str(fact.get("value", ""))
        if alert := is_alert(label):  # bold, framed, its label and value on lines of their own
            count = lines(f"! {label}:", width_em - 1.4, 700) + lines(value, width_em - 1.4, 700)
        else:
            count = lines(f"{label}: {value}", width_em)
        height += (count * p.fact_em + p.fact_gap_em + p.alert_em * alert) * em
        height += p.alert_px * alert
    return height


def footer_height(document: dict[str, Any], p: Proportions, page: float, em: float) -> float:
    """Who wrote it and when to review it, beside the organisation's logo if it has one."""
    logo = bool((document.get("branding") or {}).get("logo"))
    width = (page - (p.logo_mm[0] + LOGO_GAP_MM) * PX_PER_MM * logo) / em / 0.9
    footer = [("Written by", document.get("written_by")), ("Review by", document.get("review_due"))]
    counts = [lines(f"{label}: {text}", width) for label, text in footer if text]
    if not counts and not logo:
        return 0.0
    text = sum(counts) * p.footer_line_em * em + max(len(counts) - 1, 0) * p.footer_gap_em * em
    return p.footer_em * em + p.footer_px + max(text, p.logo_mm[1] * PX_PER_MM * logo)


def first_guess(document: dict[str, Any], design: Design) -> float:
    """The largest size, in steps, at which the page is expected to fit; the design's
    largest for a design or paper without proportions here (the layout says what is
    wrong with an unknown one)."""
    p = PROPORTIONS.get(design.name)
    paper = document.get("layout", {}).get("paper", "A4")
    if p is None or paper not in PAPER_SIZES:
        return design.largest
    _, height_mm = PAPER_SIZES[paper]
    # How the design adds its page up: a stack of boxes, or rows of columns.
    height = columns_height if design.name == "columns" else content_height
    available = (height_mm - 2 * p.margin_mm) * PX_PER_MM
    # The page grows with the size: halve the range of steps each time.
    low, high = 0, round((design.largest - design.floor) / STEP)
    while low < high:
        middle = (low + high + 1) // 2
        if height(document, p, design.floor + middle * STEP) <= available:
            low = middle
        else:
            high = middle - 1
    return design.floor + low * STEP
