"""When even the smallest readable size runs over a page: which sections to shorten, how much."""

from __future__ import annotations

import math
from typing import Any

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from ..kinds import Kind
from .html import section_heading
from .measure import Measure, elements


def overflow_report(
    rendered: Document, measured: Measure, document: dict[str, Any], kind: Kind
) -> list[dict[str, Any]]:
    """Which sections to shorten, by about how many statements: [{"key", "heading", "remove"}].

    The height over the page is taken from the longest lists first, bringing them down
    to a common level, so a short section is never asked to give up its few statements.
    Sections are listed in print order.
    """
    # At least a little: the measured height can come out short of a page when a line
    # was pushed over to the next page, yet the content still does not fit on one.
    excess = max(measured.height - measured.available, 1.0)
    lists = list_heights(rendered)
    sections = [s for s in document["sections"] if s["items"] and lists.get(s["key"])]
    level = cut_level([lists[s["key"]] for s in sections], excess)
    language = document.get("language") or "en"
    report = []
    for section in sections:
        height, count = lists[section["key"]], len(section["items"])
        if height <= level:
            continue
        remove = min(count, math.ceil((height - level) / (height / count) - 1e-6))
        report.append(
            {
                "key": section["key"],
                "heading": section_heading(section, kind, language),
                "remove": remove,
            }
        )
    return report


def cut_level(heights: list[float], excess: float) -> float:
    """The height to cut every list down to so that, together, they lose the excess."""
    ordered = sorted(heights, reverse=True)
    for i in range(len(ordered)):
        taller = ordered[: i + 1]
        level = (sum(taller) - excess) / len(taller)
        if i + 1 == len(ordered) or level >= ordered[i + 1]:
            return max(level, 0.0)
    return 0.0


def list_heights(rendered: Document) -> dict[str, float]:
    """The height of each section's statements, added up over all pages."""
    heights: dict[str, float] = {}
    pages = [page._page_box for page in rendered.pages]
    for number, page in enumerate(pages):
        going_on = elements(pages[number + 1]) if number + 1 < len(pages) else set()
        for section in page.descendants():
            if not isinstance(section, boxes.BlockBox) or section.element_tag != "section":
                continue
            key = section.element.get("data-key")
            for ul in section.children:
                if ul.element_tag == "ul":
                    height = sum(statement_height(item, going_on) for item in ul.children)
                    heights[key] = heights.get(key, 0.0) + height
    return heights


def statement_height(item, going_on: set[int]) -> float:
    """A statement's height; one that goes on overleaf ends at its last line on this page."""
    if id(item.element) not in going_on:
        return item.margin_height()
    lines = [line for line in item.descendants() if isinstance(line, boxes.LineBox)]
    return max((line.position_y + line.height for line in lines), default=item.position_y) - (
        item.position_y
    )
