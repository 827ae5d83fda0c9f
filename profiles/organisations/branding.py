"""An organisation's accent colour and logo: what every layout prints them with.

Colours are checked against white paper, because a profile is read on paper pinned to a
wall, often by someone in a hurry: a heading that is hard to read costs more than the
organisation's exact shade.
"""

from __future__ import annotations

import re

from ..extensions import db
from ..models import Branding
from ..photos import CleanPhoto
from ..services import current_organisation_id

# What the Web Content Accessibility Guidelines ask of ordinary text (AA).
MIN_CONTRAST = 4.5
# The classic layout's own colour, shown when the organisation has none of its own.
DEFAULT_ACCENT = "#0b5d4b"
HEX_COLOUR = re.compile(r"#?([0-9a-f]{6})")


def parse_colour(text: str) -> str | None:
    """A colour as stored (#rrggbb in lower case), from what was typed; None if it is not one.

    The # may be left out, and letters may be capitals, as colour pickers copy them.
    """
    match = HEX_COLOUR.fullmatch(text.strip().lower())
    return f"#{match.group(1)}" if match else None


def relative_luminance(colour: str) -> float:
    """How light a #rrggbb colour looks, from 0 (black) to 1 (white), as WCAG defines it."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_on_white(colour: str) -> float:
    """The contrast ratio of a #rrggbb colour on white paper: from 1 (white) to 21 (black)."""
    return 1.05 / (relative_luminance(colour) + 0.05)


def find_branding() -> Branding | None:
    """The current organisation's branding, if it has set any."""
    return db.session.get(Branding, current_organisation_id())


def branding_to_change() -> Branding:
    """The current organisation's branding, made on its first change."""
    branding = find_branding()
    if branding is None:
        branding = Branding(organisation_id=current_organisation_id(), logo_description="")
        db.session.add(branding)
    return branding


def save_accent(colour: str | None) -> None:
    """Print every layout with this accent colour (already checked), or None for their own."""
    branding_to_change().accent = colour


def save_logo(clean: CleanPhoto | None, description: str) -> None:
    """Store a new logo (already checked and cleaned), or only change its description."""
    branding = branding_to_change()
    if clean is not None:
        branding.logo_media_type = clean.media_type
        branding.logo_data = clean.data
        branding.logo_width = clean.width
        branding.logo_height = clean.height
        branding.logo_sha256 = clean.sha256
    branding.logo_description = description


def remove_logo() -> None:
    """Print without a logo from now on."""
    branding = find_branding()
    if branding is None:
        return
    branding.logo_media_type = branding.logo_data = branding.logo_sha256 = None
    branding.logo_width = branding.logo_height = None
    branding.logo_description = ""
