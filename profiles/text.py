"""Text as people type it: invisible controls taken out, names folded for searching, and
names made fit for a file's name."""

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


# Characters some file system refuses in a file's name (Windows refuses the most).
NOT_IN_FILE_NAMES = dict.fromkeys(map(ord, '\\/:*?"<>|'), " ")
MAX_FILE_NAME_BYTES = 200  # most file systems allow 255 bytes; leave room for " (2)"


def file_name(name: str, ending: str) -> str:
    """A download's file name that starts with a person's name, such as "Margaret Okafor -
    one-page profile.pdf", made safe for every file system: no characters any of them
    refuses, no dot or space at either end, and short enough, letters and accents kept."""
    plain = " ".join(
        without_controls(unicodedata.normalize("NFC", name)).translate(NOT_IN_FILE_NAMES).split()
    ).strip(". ")
    room = MAX_FILE_NAME_BYTES - len(f" - {ending}".encode())
    if len(plain.encode()) > room:  # cut at a space, so no word is left in pieces
        cut = plain.encode()[:room].decode(errors="ignore")
        plain = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(". ")
    return f"{plain} - {ending}" if plain else ending[0].upper() + ending[1:]
