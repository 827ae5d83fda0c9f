"""The hospital passport's traffic lights: which band each section prints in, and its word.

Ward staff read a passport in the order of its lights: red (what they must know before
anything else), amber (what matters to the person), green (likes and dislikes). Each band
carries its word and a shape as well as its colour, so it reads in greyscale and to people
who do not see colour.
"""

from __future__ import annotations

from typing import Any

LIGHTS = ("red", "amber", "green")
# A hospital passport's sections by what they hold; other kinds go by their order.
HOSPITAL_LIGHTS = {"must_know": "red", "important": "amber", "likes": "green"}

# The words the passport prints itself, in the profile's language (NHS Wales: coch, ambr,
# gwyrdd).
WORDS: dict[str, dict[str, str]] = {
    "en": {"title": "Hospital passport", "red": "Red", "amber": "Amber", "green": "Green"},
    "cy": {"title": "Pasbort ysbyty", "red": "Coch", "amber": "Ambr", "green": "Gwyrdd"},
}


def light_of(key: str, position: int, kind: str) -> str:
    """A section's light: by its meaning in a hospital passport, else by where it comes
    (the first red, the second amber, the rest green)."""
    if kind == "hospital" and key in HOSPITAL_LIGHTS:
        return HOSPITAL_LIGHTS[key]
    return LIGHTS[min(position, len(LIGHTS) - 1)]


def passport_page(profile: dict[str, Any]) -> dict[str, Any]:
    """What the passport prints beyond the print context: its title (for a hospital
    passport only) and the sections as bands, red first, then amber, then green."""
    words = WORDS["cy" if profile["lang"] == "cy" else "en"]
    lit = [
        (light_of(section["key"], position, profile["kind"]), section)
        for position, section in enumerate(profile["sections"])
    ]
    # The sort is stable: within a light, sections keep the profile's own order.
    lit.sort(key=lambda pair: LIGHTS.index(pair[0]))
    return {
        "title": words["title"] if profile["kind"] == "hospital" else "",
        "bands": [{"light": light, "word": words[light], "section": s} for light, s in lit],
    }
