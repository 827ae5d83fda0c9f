"""Rendering: a profile as print HTML, fitted on exactly one page, as a PDF.

The renderer receives the file format's plain dictionary (see profiles.document), never
ORM objects, and knows no database and no web app: the preview, the PDF and an exported
file can only show the same things. Importing this package does not load the layout
engine; printing does, in the process that prints (see child.py).
"""

from .child import RenderFailed, RenderTimedOut, fit_within, prepare, rehearse_before_printing
from .designs import DESIGNS, PAPER_LABELS, PAPERS, PHOTO_CROPS, Design, get_design, paper_name
from .fingerprint import RENDERER_VERSION, cache_key
from .html import Screen, print_html
from .outcome import Outcome, shorten_advice

__all__ = [
    "DESIGNS",
    "PAPERS",
    "PAPER_LABELS",
    "PHOTO_CROPS",
    "RENDERER_VERSION",
    "Design",
    "Outcome",
    "RenderFailed",
    "RenderTimedOut",
    "Screen",
    "cache_key",
    "fit_within",
    "get_design",
    "paper_name",
    "prepare",
    "print_html",
    "rehearse_before_printing",
    "shorten_advice",
]
