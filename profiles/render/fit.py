"""Fit a profile on one page: the largest font size that keeps it to exactly one page.

Each layout is measured (see measure.py) and the measurement predicts the size that will
just fit, so a profile that needs fitting usually takes two layouts: one at the largest
size, one at the predicted size. The layout that fits is the one written to the PDF.

A profile printed for the first time is laid out first at the size estimate.py expects
it to fit at: when that is right, as it mostly is, the first layout is the one printed.
"""

from __future__ import annotations

import threading
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from ..kinds import Kind
from .designs import DESIGNS, STEP, Design, get_design
from .estimate import first_guess
from .fetcher import STATIC_DIR, StaticFetcher, static_url
from .html import print_html
from .measure import Measure, measure
from .outcome import Outcome
from .overflow import overflow_report

# Tagged PDF with the document language, title and the photo's alt text.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# The bundled fonts and the parsed stylesheets, read once per process. A process lays out
# one page at a time: the app prints in child processes (see child.py), one print each.
_loading = threading.Lock()
_fonts: FontConfiguration | None = None
_stylesheets: dict[str, CSS] = {}


def font_config() -> FontConfiguration:
    """The process's font configuration, which the stylesheets load the bundled fonts into."""
    global _fonts
    with _loading:
        if _fonts is None:
            _fonts = FontConfiguration()
        return _fonts


def stylesheet(design: Design) -> CSS:
    """A design's print stylesheet, parsed (and its fonts read) once per process."""
    fonts = font_config()
    with _loading:
        if design.name not in _stylesheets:
            _stylesheets[design.name] = CSS(
                url=static_url(design.stylesheet), url_fetcher=StaticFetcher(), font_config=fonts
            )
        return _stylesheets[design.name]


def warm() -> None:
    """Read the fonts and parse every design's stylesheet now, for every print after this
    one, and every print forked from this process, to start with them."""
    for design in DESIGNS.values():
        stylesheet(design)


def layout(document: dict[str, Any], kind: Kind, size: float) -> Document:
    """Lay out the print HTML at one font size, reading nothing but our own static files."""
    design = get_design(document.get("layout", {}).get("design", "classic"))
    html = HTML(
        string=print_html(document, kind, size),
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=StaticFetcher(),
    )
    return html.render(stylesheets=[stylesheet(design)], font_config=font_config(), **PDF_OPTIONS)


class Fitting:
    """One fitting run: the layouts made so far and what they showed."""

    def __init__(self, document: dict[str, Any], kind: Kind, design: Design) -> None:
        self.document, self.kind, self.design = document, kind, design
        self.layouts = 0

    def lay_out(self, size: float) -> tuple[Document, Measure]:
        self.layouts += 1
        rendered = layout(self.document, self.kind, size)
        return rendered, measure(rendered, size)

    def run(self, start: float | None = None) -> Outcome:
        """Fit the page, laying it out first at start (estimate.py's guess when not given).

        A good start, such as the size an earlier version of the profile printed at, often
        saves a layout; any start gives the same size in the end.
        """
        design, paper = self.design, self.document.get("layout", {}).get("paper", "A4")
        if start is None:
            start = first_guess(self.document, design)
        first = min(max(round(start / STEP) * STEP, design.floor), design.largest)
        rendered, latest = self.lay_out(first)
        best = (rendered, latest) if latest.fits else None
        # The smallest size known not to fit; above the largest when none is known yet.
        too_big = design.largest + STEP if latest.fits else first
        while not latest.fits or best[1].size < design.largest:
            if best is None:
                if latest.size <= design.floor:
                    report = overflow_report(rendered, latest, self.document, self.kind)
                    return Outcome(False, paper, overflow=report, layouts=self.layouts)
                low = design.floor
            else:
                low = best[1].size + STEP
                if low >= too_big or not self.worth_trying(best[1], low):
                    break
            size = largest_fitting(latest, low, too_big - STEP)
            rendered, latest = self.lay_out(size)
            if latest.fits:
                best = (rendered, latest)
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


def fit_document(document: dict[str, Any], kind: Kind, start: float | None = None) -> Outcome:
    """Fit a profile in the file format on one page; pure, with no database.

    start: the size to try first, such as the size an earlier version printed at.
    """
    design = get_design(document.get("layout", {}).get("design", "classic"))
    return Fitting(document, kind, design).run(start)
