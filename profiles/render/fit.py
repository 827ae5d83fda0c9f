"""Fit a profile on one page: the largest font size that keeps it to exactly one page.

Each layout is measured (see measure.py) and the measurement predicts the size that will
just fit, so a profile that needs fitting usually takes two layouts: one at the largest
size, one at the predicted size. The layout that fits is the one written to the PDF.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from ..kinds import Kind
from .designs import STEP, Design, get_design
from .fetcher import STATIC_DIR, StaticFetcher
from .html import print_html
from .measure import Measure, measure
from .overflow import overflow_report

# Tagged PDF with the document language, title and the photo's alt text.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

_local = threading.local()


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


def font_config() -> FontConfiguration:
    """This thread's font configuration: the bundled fonts are decoded once, not per layout."""
    if not hasattr(_local, "fonts"):
        _local.fonts = FontConfiguration()
    return _local.fonts


def layout(document: dict[str, Any], kind: Kind, size: float) -> Document:
    """Lay out the print HTML at one font size, reading nothing but our own static files."""
    html = HTML(
        string=print_html(document, kind, size, assets="pdf"),
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=StaticFetcher(),
    )
    return html.render(font_config=font_config(), **PDF_OPTIONS)


class Fitting:
    """One fitting run: the layouts made so far and what they showed."""

    def __init__(self, document: dict[str, Any], kind: Kind, design: Design) -> None:
        self.document, self.kind, self.design = document, kind, design
        self.layouts = 0

    def lay_out(self, size: float) -> tuple[Document, Measure]:
        self.layouts += 1
        rendered = layout(self.document, self.kind, size)
        return rendered, measure(rendered, size)

    def run(self) -> Outcome:
        paper = self.document.get("layout", {}).get("paper", "A4")
        rendered, latest = self.lay_out(self.design.largest)
        best = (rendered, latest) if latest.fits else None
        too_big = self.design.largest  # the smallest size known not to fit
        while not latest.fits or best[1].size < self.design.largest:
            if best is None:
                low = self.design.floor
            else:
                low = best[1].size + STEP
                if low >= too_big or not self.worth_trying(best[1], low):
                    break
            size = largest_fitting(latest, low, too_big - STEP)
            rendered, latest = self.lay_out(size)
            if latest.fits:
                best = (rendered, latest)
            elif size <= self.design.floor:
                report = overflow_report(rendered, latest, self.document, self.kind)
                return Outcome(False, paper, overflow=report, layouts=self.layouts)
            else:
                too_big = size
        pdf = best[0].write_pdf(**PDF_OPTIONS)
        return Outcome(True, paper, pdf=pdf, font_size=best[1].size, layouts=self.layouts)

    @staticmethod
    def worth_trying(fitted: Measure, size: float) -> bool:
        """Whether a layout at size might still fit, judged from the layout that fitted."""
        # Lines only ever get longer and more numerous as text grows, so this is a floor.
        if fitted.predict(size, rewrap=False) > fitted.available:
            return False
        return fitted.predict(size) <= fitted.available


def largest_fitting(measured: Measure, low: float, high: float) -> float:
    """The largest size from low to high, in steps, that the measurement predicts will fit."""
    steps = round((high - low) / STEP)
    lo, hi = 0, steps  # predicted height grows with size, so halve the range each time
    if measured.predict(low) > measured.available:
        return low
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measured.predict(low + mid * STEP) <= measured.available:
            lo = mid
        else:
            hi = mid - 1
    return low + lo * STEP


def fit_document(document: dict[str, Any], kind: Kind) -> Outcome:
    """Fit a profile in the file format on one page; pure, with no database."""
    design = get_design(document.get("layout", {}).get("design", "classic"))
    return Fitting(document, kind, design).run()
