"""A first guess, before any layout, at the size a profile will fit at.

A fit lays the page out at this size first. When the guess is right, that first layout is
the one printed, and a profile printed for the first time takes one layout, as a plain
render does; when it is a step out, the layout's measurement corrects it (see fit.py), so
only speed ever rides on it, never the size chosen.

The guess adds up the page as the design's stylesheet sets it out: each statement's lines,
wrapped at the width the stylesheet leaves them, with the words' widths from the bundled
fonts; the headings, paddings and borders; the name beside the photo; the footer. The
proportions below follow the stylesheet: a test compares the guesses with real fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .designs import PAPER_SIZES, STEP, Design
from .measure import Paragraph, text_width

PX_PER_MM = 96 / 25.4
PX_PER_PT = 96 / 72


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
    photo_mm: float  # the photo's side...
    photo_px: float  # ...and its borders
    photo_gap_mm: float  # between the name and the photo
    footer_em: float  # the footer's padding...
    footer_px: float  # ...and rule
    footer_line_em: float  # one line of the footer
    footer_gap_em: float  # between its lines
    facts_heading_em: float


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
    photo_mm=34,
    photo_px=1 * PX_PER_PT * 2,
    photo_gap_mm=6,
    footer_em=0.4,
    footer_px=1 * PX_PER_PT,
    footer_line_em=0.9 * 1.35,
    footer_gap_em=0.2,
    facts_heading_em=1.25 + 0.5,
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
    photo_mm=42,
    photo_px=1 * PX_PER_PT * 2,
    photo_gap_mm=5,
    footer_em=0.5,
    footer_px=1 * PX_PER_PT,
    footer_line_em=1.4,
    footer_gap_em=0.25,
    facts_heading_em=1.25 * 1.25 + 0.25 + 0.9,
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
    photo_mm=34,
    photo_px=1 * PX_PER_PT * 2,
    photo_gap_mm=5,
    footer_em=0.35 + 0.6,
    footer_px=1 * PX_PER_PT,
    footer_line_em=0.9 * 1.35,
    footer_gap_em=0.15,
    facts_heading_em=1.15 * 1.25 + 0.25 + 0.9 + 0.6 + 1.5,
)

PROPORTIONS = {"classic": CLASSIC, "easy-read": EASY_READ, "passport": PASSPORT}


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
    text = (page - p.text_inset_px) / em - p.text_inset_em
    height = 0.0
    for section in document.get("sections", ()):
        items = section.get("items") or []
        if not items:
            continue
        count = sum(lines(item, text) for item in items)
        height += count * p.line_height * em + (len(items) - 1) * p.item_gap_em * em
        height += p.section_em * em + p.section_px
    photo = "photo" in document
    name_width = (page - (p.photo_mm + p.photo_gap_mm) * PX_PER_MM * photo) / em
    name = lines(document.get("name", ""), name_width, 700, p.name_size) * p.name_em * em
    if document.get("preferred_name"):
        name += p.known_as_em * em
    height += max(name, (p.photo_mm * PX_PER_MM + p.photo_px) * photo)
    height += p.header_em * em + p.header_px
    footer = [("Written by", document.get("written_by")), ("Review by", document.get("review_due"))]
    footer_lines = [lines(f"{label}: {text}", page / em / 0.9) for label, text in footer if text]
    for fact in document.get("facts") or ():
        footer_lines.append(lines(f"{fact.get('label')}: {fact.get('value')}", page / em / 0.9))
    if footer_lines:
        height += p.footer_em * em + p.footer_px
        height += sum(footer_lines) * p.footer_line_em * em
        height += (len(footer_lines) - 1) * p.footer_gap_em * em
        if document.get("facts"):
            height += p.facts_heading_em * em
    return height


def first_guess(document: dict[str, Any], design: Design) -> float:
    """The largest size, in steps, at which the page is expected to fit; the design's
    largest for a design or paper without proportions here (the layout says what is
    wrong with an unknown one)."""
    p = PROPORTIONS.get(design.name)
    paper = document.get("layout", {}).get("paper", "A4")
    if p is None or paper not in PAPER_SIZES:
        return design.largest
    _, height_mm = PAPER_SIZES[paper]
    available = (height_mm - 2 * p.margin_mm) * PX_PER_MM
    # The page grows with the size: halve the range of steps each time.
    low, high = 0, round((design.largest - design.floor) / STEP)
    while low < high:
        middle = (low + high + 1) // 2
        if content_height(document, p, design.floor + middle * STEP) <= available:
            low = middle
        else:
            high = middle - 1
    return design.floor + low * STEP
