"""Text as people type it: invisible controls taken out, and names folded for searching."""

from __future__ import annotations

import unicodedata

# Invisible characters nobody writing a profile means: those that turn the direction text
# runs in (pasted into a name, one can make it show backwards: "evil" as "live"), and the
# control characters other than tab and new line (a database refuses some, such as NUL).
CONTROLS = dict.fromkeys(
    [
        *(code for code in range(0x20) if chr(code) not in "\t\n\r"),
        *range(0x7F, 0xA0),
        *(0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)),
    ]
)

# Letters that do not come apart into a plain letter and an accent, as people type them
# on an English keyboard.
PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "\u0131": "i"}
)


def without_controls(value):
    """Text without invisible controls; a list's strings too; anything else as it is."""
    if isinstance(value, str):
        return value.translate(CONTROLS)
    if isinstance(value, list):
        return [without_controls(item) for item in value]
    return value


def folded(text: str) -> str:
    """Text as a search compares it: no accents, no case, so that "Stanislaw" finds
    "Stanisław" and "sion" finds "Siôn"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.translate(PLAIN_LETTERS)
