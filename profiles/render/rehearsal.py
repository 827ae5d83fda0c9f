"""A sample page printed once by a process that goes on to print many (a web worker).

Prints are laid out in child processes forked from the process that serves the page, and
a child's caches die with it. What the layout engine and its libraries learn on a first
print (each font at each size, how words shape, how the PDF takes its fonts) is therefore
learnt in the parent here, once, and every print forked afterwards starts with it: about a
third less work for each.
"""

from __future__ import annotations

from ..kinds import load_kinds
from .designs import DESIGNS, PAPERS
from .fit import fit_document

SAMPLE_STATEMENTS = [
    "I make everyone laugh at breakfast with my terrible puns.",
    "A cup of tea with two sugars in my blue mug, as soon as I wake up (about 7:30).",
    "My daughter Ann visits on Tuesdays and Fridays; we look through old photographs.",
    "Please knock and wait for me to answer before you come into my room.",
    "I wear my hearing aid in my left ear only: the right one whistles and hurts!",
    "Siaradwch â fi yn Gymraeg os gwelwch yn dda; dw i'n hoffi canu emynau.",
    "Łukasz, Zoë and Siôn “always” ask — what\u2019s next? 1, 2, 3… 100% sure.",
    "Music ♪ on the radio makes my day 👍 🙂",
]


def sample(design: str, paper: str, statements: int) -> dict:
    """A profile in the file format, with every kind of text a page usually holds."""
    items = [SAMPLE_STATEMENTS[i % len(SAMPLE_STATEMENTS)] for i in range(statements)]
    return {
        "format": "one-page-profile",
        "version": 1,
        "kind": "adult",
        "name": "Margaret Jones",
        "preferred_name": "Peggy",
        "language": "en",
        "written_by": "Peggy, with her daughter Ann and her keyworker Sam",
        "sections": [
            {"key": key, "items": items[i::3]}
            for i, key in enumerate(("appreciation", "important", "support"))
        ],
        "review_due": "2027-05-26",
        "layout": {"design": design, "paper": paper},
    }


def rehearse() -> None:
    """Print the sample in every design on A4, short (at the largest size) and long enough
    to need fitting, then once on each other paper.

    Each stylesheet, font and size is learnt by one print of it; every design on every
    paper, twice, grew too slow for a web worker's start as designs were added.
    """
    kind = load_kinds()["adult"]
    designs, papers = list(DESIGNS), [paper for paper in PAPERS if paper != "A4"]
    for design in designs:
        for statements in (8, 30):
            fit_document(sample(design, "A4", statements), kind)
    for paper in papers:
        # Short enough to print on the smallest paper, so its page is written too.
        fit_document(sample(designs[0], paper, 8), kind)
