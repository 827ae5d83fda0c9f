"""The print designs and paper sizes the app offers, and the fixed words they print."""

from __future__ import annotations

from dataclasses import dataclass

# How a profile's photo may print: the whole picture, or a square from its top, centre or
# bottom, as the person chose on the photo step. The one list the app, its database and
# the print all go by.
PHOTO_CROPS = ("whole", "top", "centre", "bottom")


@dataclass(frozen=True)
class Design:
    """One print layout: its template, its stylesheet and the font sizes it may use."""

    name: str
    template: str
    stylesheet: str
    label: str  # as people choose it, such as "Hospital passport"
    hint: str  # who or what it suits, shown beside the choice
    largest: float = 14.0
    # The smallest size still comfortable to read on this layout; below it we ask for less text.
    floor: float = 10.0


DESIGNS: dict[str, Design] = {
    "classic": Design(
        "classic",
        "print/classic.html",
        "css/print-classic.css",
        label="Classic",
        hint="Name and photo at the top, then each section in a box.",
    ),
    "columns": Design(
        "columns",
        "print/columns.html",
        "css/print-columns.css",
        label="Columns",
        hint="The familiar one-page shape: photo and name beside what people appreciate, "
        "the other sections in columns underneath.",
        # Lines in a column are short, so a little larger is as easy to read as classic.
        floor=10.5,
    ),
    # Easy read asks for 14pt at the least, so its floor is higher than any other's.
    "easy-read": Design(
        "easy-read",
        "print/easy-read.html",
        "css/print-easy-read.css",
        label="Easy read",
        hint="Large type and short lines, with a picture beside each part.",
        largest=20.0,
        floor=14.0,
    ),
    # Read on a busy ward, often by someone in a hurry: not below 10.5pt, and up to 16pt
    # when a short passport leaves the room.
    "passport": Design(
        "passport",
        "print/passport.html",
        "css/print-passport.css",
        label="Hospital passport",
        hint="Key facts and allergies at the top, then red, amber and green sections.",
        largest=16.0,
        floor=10.5,
    ),
}

# CSS page size names, keyed by the names people choose.
PAPERS: dict[str, str] = {"A4": "A4", "Letter": "letter", "A5": "A5"}
# Paper as people know it, where its name alone may not say enough.
PAPER_LABELS: dict[str, str] = {
    "A4": "A4 (UK)",
    "Letter": "US Letter",
    "A5": "A5 (half of A4, for a bedside frame)",
}
# Their width and height in mm.
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "Letter": (215.9, 279.4),
    "A5": (148.0, 210.0),
}

# Font sizes are multiples of this, in points.
STEP = 0.25

LANGUAGE_TAGS = {"en": "en-GB", "cy": "cy"}

# The few words the layout prints itself; headings come from the profile and its kind.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "known_as": "known as",
        "written_by": "Written by",
        "review_by": "Review by",
        "facts": "Key facts",
        "photo": "Photo of",
        "draft": "Draft: not yet agreed",
    },
    "cy": {
        "known_as": "a elwir yn",
        "written_by": "Ysgrifennwyd gan",
        "review_by": "Adolygu erbyn",
        "facts": "Ffeithiau allweddol",
        "photo": "Llun o",
        "draft": "Drafft: heb ei gytuno eto",
    },
}

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "cy": "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr",
}


def get_design(name: str) -> Design:
    """The design with this name, or a ValueError that lists the ones there are."""
    try:
        return DESIGNS[name]
    except KeyError:
        raise ValueError(
            f"Unknown design '{name}'. Designs: {', '.join(sorted(DESIGNS))}."
        ) from None


def paper_name(value: str) -> str | None:
    """The paper's name as we spell it (A4, Letter) whatever its case, or None if unknown."""
    return next((name for name in PAPERS if name.lower() == value.strip().lower()), None)
