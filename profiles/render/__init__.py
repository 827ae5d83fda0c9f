"""Rendering: a profile as print HTML, fitted on exactly one page, as a PDF.

The renderer receives the file format's plain dictionary (see profiles.document), never
ORM objects, so the preview, the PDF and an exported file can only show the same things.
"""

from .cache import RENDERER_VERSION, cache_key, render_profile
from .designs import DESIGNS, PAPERS, Design, get_design, paper_name
from .fit import Outcome, fit_document
from .html import print_html

__all__ = [
    "DESIGNS",
    "PAPERS",
    "RENDERER_VERSION",
    "Design",
    "Outcome",
    "cache_key",
    "fit_document",
    "get_design",
    "paper_name",
    "print_html",
    "render_profile",
]
