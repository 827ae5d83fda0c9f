"""Read a laid-out page back: how tall the content is, and how it would be at another size.

A layout at one font size tells us, for every paragraph, its words and the width it had.
Words scale with the font size, so re-wrapping them greedily (as the layout engine does)
predicts each paragraph's line count at any other size, and with it the page's height.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from fontTools.ttLib import TTFont
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from .assets import STATIC_DIR

FONT_FILE = "fonts/atkinson-hyperlegible-next-{subset}-{weight}-normal.ttf"
# Break after a hyphen between letters, as the line breaking rules of Unicode do.
WORD = re.compile(r"\S+?-(?=[^\W\d_])|\S+")


@cache
def advances(weight: int) -> dict[int, float]:
    """Advance widths in em for every character the bundled fonts of this weight have."""
    widths: dict[int, float] = {}
    for subset in ("latin-ext", "latin"):  # Latin last, as it is first in font-family.
        font = TTFont(STATIC_DIR / FONT_FILE.format(subset=subset, weight=weight))
        metrics, em = font["hmtx"].metrics, font["head"].unitsPerEm
        widths.update({code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()})
    return widths


def text_width(text: str, weight: int) -> float:
    """The width of text at 1px, without kerning (the measured layout corrects for that)."""
    table = advances(700 if weight >= 600 else 400)
    return sum(table.get(ord(char), 0.55) for char in text)


@dataclass
class Paragraph:
    """A block of wrapped text: its words at the measured size and how it was laid out."""

    width: float  # the block's content width
    inset: float  # how much narrower than the page it is (paddings scale with the text)
    lines: int = 0
    bias: int = 0
    hyphen_end: bool = False
    line_height: float = 0.0  # the sum of its lines' heights
    words: list[tuple[float, float]] = field(default_factory=list)  # (space before, word)

    def count_lines(self, ratio: float) -> int:
        """How many lines the words take when every length is scaled by ratio."""
        limit = (self.width + self.inset * (1 - ratio)) / ratio + 0.01
        lines, x = 1, 0.0
        for space, word in self.words:
            if x and x + space + word > limit:
                lines, x = lines + 1, word
            else:
                x = x + space + word if x else word
        return lines


@dataclass
class Measure:
    """One layout's heights, in CSS px, split into what scales with the text and what not.

    Boxes side by side (a photo beside the name, a layout's columns) make a row: each of
    its columns is measured as a Measure of its own, and the row is as tall as the tallest
    column at the size asked about, which need not be the tallest one measured.
    """

    size: float
    pages: int
    available: float  # the height of one page's content area
    height: float  # all the content, as if the pages were one long page
    fixed: float = 0.0  # borders and pictures: they stay as they are at any size
    paragraphs: list[Paragraph] = field(default_factory=list)
    rows: list[list[Measure]] = field(default_factory=list)  # each row's columns
    overflowing: bool = False  # content runs past the foot of a page that did not break

    @property
    def fits(self) -> bool:
        # A box that cannot be split over pages (an atomic one, such as a layout's sheet
        # of columns) runs past the foot of the page rather than onto another: that page
        # is one page, but not one that fits.
        return self.pages == 1 and not self.overflowing

    @property
    def spacing(self) -> float:
        """Everything else: margins and paddings, set in em so they scale with the text."""
        text = sum(p.line_height for p in self.paragraphs)
        rows = sum(max(column.height for column in row) for row in self.rows)
        return self.height - self.fixed - rows - text

    def predict(self, size: float, rewrap: bool = True) -> float:
        """The content height at another size; without rewrap, a lower bound for larger sizes."""
        ratio = size / self.size
        rows = sum(max(column.predict(size, rewrap) for column in row) for row in self.rows)
        text = lines_height(self.paragraphs, ratio, rewrap)
        return self.fixed + rows + self.spacing * ratio + text

    def all_paragraphs(self) -> list[Paragraph]:
        """The paragraphs of this measure and of every column in it."""
        nested = [p for row in self.rows for column in row for p in column.all_paragraphs()]
        return self.paragraphs + nested


def lines_height(paragraphs: list[Paragraph], ratio: float, rewrap: bool) -> float:
    """The height of the paragraphs' lines with every length scaled by ratio."""
    height = 0.0
    for p in paragraphs:
        lines = p.count_lines(ratio) + p.bias if rewrap else p.lines
        height += max(lines, 1) * p.line_height / p.lines * ratio
    return height


def measure(document: Document, size: float) -> Measure:
    """Measure a laid-out document; fragments of one paragraph on two pages are joined."""
    pages = [page._page_box for page in document.pages]
    result = Measure(size, len(pages), pages[0].height, 0.0)
    paragraphs: dict[object, Paragraph] = {}
    for number, page in enumerate(pages):
        if number + 1 < len(pages):
            result.height += content_bottom(page, pages[number + 1]) - page.content_box_y()
        for root in page.children:
            if number + 1 == len(pages):
                result.height += root.margin_height()
            walk(root, page.width, result, paragraphs)
    finish(result, paragraphs)
    result.overflowing = overflowing(pages[-1])
    for p in result.all_paragraphs():
        # Where re-wrapping at the measured size disagrees with the layout, trust the layout.
        p.bias = p.lines - p.count_lines(1.0)
    return result


def overflowing(page) -> bool:
    """Whether anything on the page (a line, a picture, a box's frame) runs past its foot."""
    foot = page.content_box_y() + page.height + 0.01
    return any(
        box.border_box_y() + box.border_height() > foot
        for box in page.descendants()
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.BlockLevelBox)
        and box.element_tag not in ("html", "body")
    )


def finish(result: Measure, paragraphs: dict[object, Paragraph]) -> None:
    """Keep the paragraphs that have lines."""
    result.paragraphs = [p for p in paragraphs.values() if p.lines]


def content_bottom(page, next_page) -> float:
    """Where a page's content would go on if the page were longer.

    Boxes that continue overleaf are stretched to the foot of the page, and the margin at
    the break is dropped, so take the last box that ends here and add the margin back.
    """
    going_on = elements(next_page)
    ending = [
        box
        for box in page.descendants()
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox)
        or (isinstance(box, boxes.BlockLevelBox) and id(box.element) not in going_on)
    ]
    bottom = max((box.border_box_y() + box.border_height() for box in ending), default=0.0)
    margins = [
        length(box.style["margin_bottom"])
        for box in ending
        if abs(box.border_box_y() + box.border_height() - bottom) < 0.01
    ]
    here, box = elements(page), next_page
    while children := [c for c in box.children if isinstance(c, boxes.BlockLevelBox)]:
        box = children[0]
        if id(box.element) not in here:
            margins.append(length(box.style["margin_top"]))
    return max(bottom, page.content_box_y()) + max(margins, default=0.0)


def elements(page) -> set[int]:
    """The elements that have boxes on a page."""
    return {id(box.element) for box in page.descendants() if isinstance(box, boxes.Box)}


def length(value) -> float:
    """A computed length in px; anything else (auto, percentages) counts as nothing."""
    return value.value if getattr(value, "unit", None) == "px" else 0.0


def walk(box, page_width: float, result: Measure, paragraphs: dict) -> None:
    """Collect the paragraphs, borders, pictures and rows of one page's boxes."""
    if isinstance(box, boxes.ReplacedBox):
        result.fixed += box.margin_height()  # a picture keeps its size
        return
    if not isinstance(box, boxes.ParentBox):
        return
    result.fixed += box.border_top_width + box.border_bottom_width
    if is_row(box):
        result.rows.append([column(child, result) for child in box.children])
        return
    lines = [child for child in box.children if isinstance(child, boxes.LineBox)]
    if atomic := [leaf for line in lines for leaf in line.children if is_atomic(leaf)]:
        # A line that only holds a block laid out whole (a sheet that must not be split
        # over pages): the block is the content, the line only its place.
        for block in atomic:
            walk(block, page_width, result, paragraphs)
        return
    if lines:
        key = (box.element, box.element_tag)
        if key not in paragraphs:
            paragraphs[key] = Paragraph(box.width, page_width - box.width)
        add_lines(paragraphs[key], lines)
    for child in box.children:
        if not isinstance(child, boxes.LineBox):
            walk(child, page_width, result, paragraphs)


def is_row(box) -> bool:
    """Whether a box sets its children side by side on one line, as a header or columns do."""
    return (
        isinstance(box, boxes.FlexBox)
        and box.style["flex_direction"] == "row"
        and box.style["flex_wrap"] == "nowrap"
    )


def is_atomic(box) -> bool:
    """An inline block that holds blocks: laid out whole, never split over pages."""
    return isinstance(box, boxes.InlineBlockBox) and any(
        isinstance(child, boxes.BlockLevelBox) for child in box.children
    )


def column(box, parent: Measure) -> Measure:
    """One column of a row, measured on its own.

    A column's width is set by the page and the columns beside it, not by the text (a
    photo of fixed size, widths in mm or shares of the page), so its paragraphs' widths
    are taken against the column's own.
    """
    measured = Measure(parent.size, parent.pages, parent.available, box.margin_height())
    paragraphs: dict[object, Paragraph] = {}
    walk(box, box.width, measured, paragraphs)
    finish(measured, paragraphs)
    return measured


def add_lines(paragraph: Paragraph, lines: list) -> None:
    """Add measured lines to a paragraph, correcting word widths to the measured line widths."""
    for line in lines:
        words: list[list[float]] = []  # [space before, width]
        gap = 0.0
        for leaf in leaves(line):
            size, weight = leaf.style["font_size"], leaf.style["font_weight"]
            space = text_width(" ", weight) * size
            if not words and paragraph.words and not paragraph.hyphen_end:
                gap = space  # the line before broke at a space
            for match in WORD.finditer(leaf.text):
                width = text_width(match.group(), weight) * size
                if match.start() == 0 and words and not gap:
                    words[-1][1] += width  # a word split over two inline boxes
                    continue
                spaced = match.start() > 0 and leaf.text[match.start() - 1].isspace()
                words.append([space if spaced else gap, width])
                gap = 0.0
            gap = space if leaf.text[-1:].isspace() else 0.0
            paragraph.hyphen_end = leaf.text.rstrip().endswith("-")
        if not words:
            continue
        # The line's first space is not in its measured width: the line breaks there.
        natural = sum(space + width for space, width in words) - words[0][0]
        scale = line.width / natural if natural else 1.0
        paragraph.words.extend((space * scale, width * scale) for space, width in words)
        paragraph.lines += 1
        paragraph.line_height += line.height


def leaves(box):
    """The text boxes of a line, in order."""
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.ParentBox):
            yield from leaves(child)
