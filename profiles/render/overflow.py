"""When even the smallest readable size runs over a page: which sections to shorten, how much."""

from __future__ import annotations

from typing import Any

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from ..kinds import Kind
from .html import section_heading
from .measure import Measure, elements, is_row


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
    each = statement_heights(rendered)
    sections = [s for s in document["sections"] if s["items"] and sum(each.get(s["key"], ()))]
    removals = least_removals(rendered, {s["key"]: each[s["key"]] for s in sections}, excess)
    language = document.get("language") or "en"
    report = []
    for section in sections:
        remove = removals.get(section["key"], 0)
        if not remove:
            continue
        report.append(
            {
                "key": section["key"],
                "heading": section_heading(section, kind, language),
                "remove": remove,
            }
        )
    return report


def least_removals(
    rendered: Document, each: dict[str, list[float]], excess: float
) -> dict[str, int]:
    """How many statements to take from each section so the page loses excess.

    Sections one above another each give the page all they lose: the longest lists are
    cut first. Sections in columns side by side give only what their column loses below
    the next tallest, so there each column taller than the row less the excess is cut
    down to it, and no section is emptied (the columns would then be set out anew). Of
    the ways that work, the one that asks for fewest statements is given. Statements are
    counted as if the shortest were taken out, so any that are taken out will do.
    """
    lists = {key: sum(heights) for key, heights in each.items()}
    counts = {key: len(heights) for key, heights in each.items()}

    def statements(cuts: dict[str, float]) -> dict[str, int]:
        return {key: enough(each[key], cut) for key, cut in cuts.items() if cut > 0}

    rows = section_rows(rendered)
    in_rows = {key for row in rows for _, keys in row for key in keys}
    stacked = {key: height for key, height in lists.items() if key not in in_rows}
    ways = [statements(level_cuts(stacked, excess))] if stacked else []
    for row in rows:
        cuts = row_cuts(row, lists, excess)
        way = statements(cuts) if cuts is not None else None
        if way and all(way[key] < counts[key] for key in way):
            ways.append(way)
    if not ways:  # no way out within one place: shorten everything, longest first
        return statements(level_cuts(lists, excess))
    return min(ways, key=lambda way: sum(way.values()))


def enough(heights: list[float], cut: float) -> int:
    """How many statements, the shortest first, add up to at least cut."""
    total = 0.0
    for count, height in enumerate(sorted(heights), start=1):
        total += height
        if total >= cut - 1e-6:
            return count
    return len(heights)


def level_cuts(lists: dict[str, float], excess: float) -> dict[str, float]:
    """Bring the longest lists down to a common level, losing excess between them."""
    level = cut_level(list(lists.values()), excess)
    return {key: height - level for key, height in lists.items() if height > level}


def row_cuts(
    row: list[tuple[float, list[str]]], lists: dict[str, float], excess: float
) -> dict[str, float] | None:
    """Cuts that bring a row of columns down by excess, or None if a column cannot lose
    enough (a photo, or too few statements)."""
    target = max(height for height, _ in row) - excess
    cuts: dict[str, float] = {}
    for height, keys in row:
        if height <= target:
            continue
        column = {key: lists[key] for key in keys if key in lists}
        if height - target > sum(column.values()):
            return None
        cuts.update(level_cuts(column, height - target))
    return cuts


def section_rows(rendered: Document) -> list[list[tuple[float, list[str]]]]:
    """Each row of columns that holds sections: every column's height and section keys."""
    rows = []
    for page in rendered.pages:
        for box in page._page_box.descendants():
            if not is_row(box):
                continue
            row = [(column.margin_height(), section_keys(column)) for column in box.children]
            if any(keys for _, keys in row):
                rows.append(row)
    return rows


def section_keys(box) -> list[str]:
    """The keys of the sections inside a box, in order."""
    return [
        child.element.get("data-key")
        for child in box.descendants()
        if isinstance(child, boxes.BlockBox) and child.element_tag == "section"
    ]


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
    return {key: sum(heights) for key, heights in statement_heights(rendered).items()}


def statement_heights(rendered: Document) -> dict[str, list[float]]:
    """The height of each statement of each section, its parts on all pages added up."""
    heights: dict[str, dict[int, float]] = {}
    pages = [page._page_box for page in rendered.pages]
    for number, page in enumerate(pages):
        going_on = elements(pages[number + 1]) if number + 1 < len(pages) else set()
        for section in page.descendants():
            if not isinstance(section, boxes.BlockBox) or section.element_tag != "section":
                continue
            key = section.element.get("data-key")
            for ul in section.children:
                if ul.element_tag == "ul":
                    items = heights.setdefault(key, {})
                    for item in ul.children:
                        height = statement_height(item, going_on)
                        items[id(item.element)] = items.get(id(item.element), 0.0) + height
    return {key: list(items.values()) for key, items in heights.items()}


def statement_height(item, going_on: set[int]) -> float:
    """A statement's height; one that goes on overleaf ends at its last line on this page."""
    if id(item.element) not in going_on:
        return item.margin_height()
    lines = [line for line in item.descendants() if isinstance(line, boxes.LineBox)]
    return max((line.position_y + line.height for line in lines), default=item.position_y) - (
        item.position_y
    )
