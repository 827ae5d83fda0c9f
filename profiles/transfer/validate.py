"""Checking a file against the one-page-profile format, version 1 (docs/profile-format.md).

Every problem is collected, never only the first, and each names its place in the
document the way the format does: `sections[1].items[3]: at most 600 characters`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ..document import FORMAT, VERSION
from ..kinds import LANGUAGES, Kind
from ..models import (
    MAX_FACT_LABEL,
    MAX_FACT_VALUE,
    MAX_FACTS,
    MAX_HEADING,
    MAX_NAME,
    MAX_PHOTO_DESCRIPTION,
    MAX_PREFERRED_NAME,
    MAX_STATEMENT,
    MAX_STATEMENTS,
    MAX_WRITTEN_BY,
)
from ..photos import MAX_PHOTO_BYTES, MAX_PHOTO_MB, CleanPhoto, PhotoError, megabytes, process_photo
from ..render.designs import DESIGNS, PAPERS

MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp")
TOP = ("format", "version", "kind", "name", "preferred_name", "language", "written_by",
       "photo", "facts", "sections", "review_due", "layout")  # fmt: skip
REQUIRED = ("format", "version", "kind", "name", "sections")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Checked:
    """What checking found: the problems, and the cleaned photo when there is one."""

    problems: list[str]
    photo: CleanPhoto | None = None


def validate_document(data: object, kinds: Mapping[str, Kind]) -> list[str]:
    """Every way in which a parsed document breaks the file format, or an empty list."""
    return check_document(data, kinds).problems


def check_document(data: object, kinds: Mapping[str, Kind]) -> Checked:
    """Check a parsed document, keeping the cleaned photo so it is processed only once."""
    checker = _Checker(kinds)
    checker.document(data)
    return Checked(checker.problems, checker.photo)


def describe(value: object) -> str:
    """A JSON value in a few words, to say what a file has instead of what it should."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return json.dumps(shown, ensure_ascii=False)
    return "a list" if isinstance(value, list) else "an object"


def _place(parent: str, key: str) -> str:
    name = key if SIMPLE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    return f"{parent}.{name}" if parent else name


def _one_of(value: object, options: Iterable[str]) -> bool:
    # Checked as text first: a list or object in the file cannot be looked up in a set.
    return isinstance(value, str) and value in options


def _choices(options: Iterable[str]) -> str:
    options = list(options)
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"


class _Checker:
    def __init__(self, kinds: Mapping[str, Kind]) -> None:
        self.kinds = kinds
        self.problems: list[str] = []
        self.photo: CleanPhoto | None = None
        # Known once "kind" is checked, which comes before "sections" in the format.
        self.kind_found: Kind | None = None

    def problem(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")

    def fields(self, obj: object, place: str, allowed: Iterable[str], required=()) -> bool:
        """Check an object's keys; False (with a problem) if it is not an object at all."""
        if not isinstance(obj, dict):
            self.problem(place or "the file", f"must be a JSON object, not {describe(obj)}")
            return False
        allowed = set(allowed)
        for key in obj:
            if key not in allowed:
                self.problem(_place(place, key), "not a field of this format")
        # Keys written twice are noted by the importer's JSON reader (json keeps the last).
        for key in getattr(obj, "repeated", ()):
            self.problem(_place(place, key), "written more than once")
        for key in required:
            if key not in obj:
                self.problem(_place(place, key), "required")
        return True

    def text(self, where: str, value: object, limit: int, trimmed: bool = False) -> None:
        """Check one piece of text: its type, its characters and its length."""
        if not isinstance(value, str):
            self.problem(where, f"must be text, not {describe(value)}")
            return
        # PostgreSQL cannot store NUL, and a lone surrogate is not a character at all.
        bad = next((c for c in value if c == "\x00" or "\ud800" <= c <= "\udfff"), None)
        if bad is not None:
            self.problem(where, f"contains a character that cannot be stored (\\u{ord(bad):04x})")
            return
        length = len(value.strip()) if trimmed else len(value)
        if trimmed and length == 0:
            self.problem(where, "must not be empty")
        elif length > limit:
            self.problem(where, f"at most {limit} characters (this one has {length})")

    def optional_text(self, obj: dict, key: str, place: str, limit: int, trimmed=False) -> None:
        if key in obj:
            self.text(_place(place, key), obj[key], limit, trimmed)

    def document(self, doc: object) -> None:
        if not self.fields(doc, "", TOP):
            return
        checks = {
            "format": self.format,
            "version": self.version,
            "kind": self.kind,
            "name": lambda value: self.text("name", value, MAX_NAME, trimmed=True),
            "preferred_name": lambda value: self.text("preferred_name", value, MAX_PREFERRED_NAME),
            "language": self.language,
            "written_by": lambda value: self.text("written_by", value, MAX_WRITTEN_BY),
            "photo": self.photo_field,
            "facts": self.facts,
            "sections": self.sections,
            "review_due": self.review_due,
            "layout": self.layout,
        }
        # In the format's order, so problems read from the top of the file down.
        for key in TOP:
            if key in doc:
                checks[key](doc[key])
            elif key in REQUIRED:
                self.problem(key, "required")

    def format(self, value: object) -> None:
        if value != FORMAT:
            self.problem("format", f'must be "{FORMAT}", not {describe(value)}')

    def version(self, value: object) -> None:
        # type(), not isinstance(): JSON true is a bool, and bool is an int in Python.
        if type(value) is not int or value != VERSION:
            self.problem("version", f"must be the integer {VERSION}, not {describe(value)}")

    def kind(self, value: object) -> None:
        if _one_of(value, self.kinds):
            self.kind_found = self.kinds[value]
            return
        known = ", ".join(self.kinds)  # in the kind files' order, which is the format's
        self.problem("kind", f"must be one of {known} (this file has {describe(value)})")

    def language(self, value: object) -> None:
        if not _one_of(value, LANGUAGES):
            self.problem("language", f"must be {_choices(LANGUAGES)}, not {describe(value)}")

    def photo_field(self, photo: object) -> None:
        if not self.fields(photo, "photo", ("media_type", "data", "description"),
                           required=("media_type", "data")):  # fmt: skip
            return
        media_type = photo.get("media_type")
        if "media_type" in photo and not _one_of(media_type, MEDIA_TYPES):
            self.problem(
                "photo.media_type", f"must be {_choices(MEDIA_TYPES)}, not {describe(media_type)}"
            )
            media_type = None
        self.optional_text(photo, "description", "photo", MAX_PHOTO_DESCRIPTION)
        raw = self.base64(photo)
        if raw is None:
            return
        if len(raw) > MAX_PHOTO_BYTES:
            size = megabytes(len(raw))
            self.problem(
                "photo.data", f"at most {MAX_PHOTO_MB} MB decoded (this one has {size:.1f} MB)"
            )
            return
        try:
            self.photo = process_photo(raw, media_type)
        except PhotoError as exc:
            what = media_type or "a JPEG, PNG or WebP image"
            self.problem("photo.data", f"does not decode as {what} ({exc.reason})")

    def base64(self, photo: dict) -> bytes | None:
        if "data" not in photo:
            return None
        data = photo["data"]
        if not isinstance(data, str):
            self.problem("photo.data", f"must be base64 text, not {describe(data)}")
            return None
        try:
            # Line breaks are allowed: MIME encoders wrap base64 at 76 characters.
            return base64.b64decode("".join(data.split()), validate=True)
        except (binascii.Error, ValueError):
            self.problem("photo.data", "not valid base64")
            return None

    def facts(self, facts: object) -> None:
        if not isinstance(facts, list):
            self.problem("facts", f"must be a list, not {describe(facts)}")
            return
        if len(facts) > MAX_FACTS:
            self.problem("facts", f"at most {MAX_FACTS} facts (this file has {len(facts)})")
        for i, fact in enumerate(facts):
            place = f"facts[{i}]"
            if self.fields(fact, place, ("label", "value"), required=("label", "value")):
                self.optional_text(fact, "label", place, MAX_FACT_LABEL)
                self.optional_text(fact, "value", place, MAX_FACT_VALUE)

    def sections(self, sections: object) -> None:
        kind = self.kind_found
        if not isinstance(sections, list):
            self.problem("sections", f"must be a list, not {describe(sections)}")
            return
        seen: dict[str, int] = {}
        for i, section in enumerate(sections):
            place = f"sections[{i}]"
            if not self.fields(section, place, ("key", "heading", "items"), ("key", "items")):
                continue
            key = section.get("key")
            if "key" in section and not isinstance(key, str):
                self.problem(f"{place}.key", f"must be text, not {describe(key)}")
            elif key in seen:
                self.problem(
                    f"{place}.key", f'"{key}" appears twice (also at sections[{seen[key]}])'
                )
            elif isinstance(key, str):
                seen[key] = i
                if kind is not None and key not in kind.section_keys:
                    has = ", ".join(kind.section_keys)
                    self.problem(
                        f"{place}.key",
                        f'"{key}" is not a section of the {kind.key} kind ({kind.key} has {has})',
                    )
            self.optional_text(section, "heading", place, MAX_HEADING)
            if "items" in section:
                self.items(section["items"], f"{place}.items")

    def items(self, items: object, place: str) -> None:
        if not isinstance(items, list):
            self.problem(place, f"must be a list, not {describe(items)}")
            return
        if len(items) > MAX_STATEMENTS:
            self.problem(place, f"at most {MAX_STATEMENTS} statements (this one has {len(items)})")
        for i, item in enumerate(items):
            # Counted after trimming white space, as the format says.
            self.text(f"{place}[{i}]", item, MAX_STATEMENT, trimmed=True)

    def review_due(self, value: object) -> None:
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            self.problem("review_due", f"must be a date written YYYY-MM-DD, not {describe(value)}")
            return
        try:
            date.fromisoformat(value)
        except ValueError:
            self.problem("review_due", f"{value} is not a real date")

    def layout(self, layout: object) -> None:
        if not self.fields(layout, "layout", ("design", "paper")):
            return
        design = layout.get("design")
        if "design" in layout and not _one_of(design, DESIGNS):
            self.problem(
                "layout.design",
                f"{describe(design)} is not a layout (choose from {', '.join(DESIGNS)})",
            )
        if "paper" in layout and not _one_of(layout["paper"], PAPERS):
            self.problem(
                "layout.paper", f"must be {_choices(PAPERS)}, not {describe(layout['paper'])}"
            )
