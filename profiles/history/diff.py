"""The changes between two revisions of a profile, statement by statement.

Pure: it reads two revision documents (see document.revision_document) and touches
nothing else. Statements are matched by their uid, so a statement that was edited, moved
or restored is still the same statement; documents without uids match by text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from ..render.designs import DESIGNS, PAPER_LABELS

Document = dict[str, Any]


@dataclass(frozen=True)
class Detail:
    """A detail changed: a name, a key fact, the photo. Empty old: added; empty new: removed."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class StatementChange:
    """One statement added, removed, changed or moved (a changed one may have moved too)."""

    change: str  # "added", "removed", "changed" or "moved"
    text: str  # as the newer version has it; as the older had it when removed
    old_text: str = ""  # for "changed"
    # For "changed": the words, each ("same" | "removed" | "added", text), in reading order.
    words: tuple[tuple[str, str], ...] = ()
    # Positions counted from 1, when the statement moved.
    moved_from: int | None = None
    moved_to: int | None = None


@dataclass(frozen=True)
class SectionChanges:
    key: str
    heading: str  # as the newer version has it
    old_heading: str  # as the older version had it
    statements: tuple[StatementChange, ...]

    @property
    def heading_changed(self) -> bool:
        return self.heading != self.old_heading


@dataclass(frozen=True)
class Changes:
    details: tuple[Detail, ...] = ()
    facts: tuple[Detail, ...] = ()
    sections: tuple[SectionChanges, ...] = field(default=())

    @property
    def nothing(self) -> bool:
        return not (self.details or self.facts or self.sections)


def compare(old: Document, new: Document, default_heading: Callable[[str], str] = str) -> Changes:
    """Everything that differs from old to new. default_heading(key) names a section that
    keeps its kind's own heading."""
    return Changes(
        details=tuple(detail_changes(old, new)),
        facts=tuple(fact_changes(old.get("facts", []), new.get("facts", []))),
        sections=tuple(section_changes(old, new, default_heading)),
    )


def readable_date(value: str | None) -> str:
    return f"{date.fromisoformat(value):%-d %B %Y}" if value else ""


def consent_words(consent: dict[str, Any] | None) -> str:
    """Who agreed, in words, as a revision holds it."""
    if not consent or consent.get("self") is None:
        return ""
    when = readable_date(consent.get("date")) or "date not recorded"
    if consent["self"]:
        return f"{consent.get('by', '')} agreed themselves on {when}"
    return (
        f"{consent.get('by', '')} ({consent.get('relationship', '')}) agreed on the "
        f"person's behalf on {when}"
    )


def design_words(name: str | None) -> str:
    """A design as people chose it ("Easy read"), not its name in the data ("easy")."""
    design = DESIGNS.get(name or "")
    return design.label if design else (name or "")


def paper_words(name: str | None) -> str:
    """Paper as people chose it ("US Letter"), not its name in the data ("Letter")."""
    return PAPER_LABELS.get(name or "", name or "")


CROP_WORDS = {
    "whole": "The whole photo",
    "top": "A square from the top",
    "centre": "A square from the centre",
    "bottom": "A square from the bottom",
}


def detail_changes(old: Document, new: Document) -> list[Detail]:
    """The person's names, whose voice, language, photo, review date, agreement, printing."""
    old_photo, new_photo = old.get("photo") or {}, new.get("photo") or {}
    old_layout, new_layout = old.get("layout") or {}, new.get("layout") or {}
    pairs = [
        ("Full name", old.get("name", ""), new.get("name", "")),
        (
            "Name they like to be called",
            old.get("preferred_name", ""),
            new.get("preferred_name", ""),
        ),
        ("Written by", old.get("written_by", ""), new.get("written_by", "")),
        ("Language", old.get("language", ""), new.get("language", "")),
        ("Photo description", old_photo.get("description", ""), new_photo.get("description", "")),
        (
            "How the photo prints",
            CROP_WORDS.get(old_photo.get("crop"), ""),
            CROP_WORDS.get(new_photo.get("crop"), ""),
        ),
        ("Review date", readable_date(old.get("review_due")), readable_date(new.get("review_due"))),
        ("Agreement", consent_words(old.get("consent")), consent_words(new.get("consent"))),
        ("Design", design_words(old_layout.get("design")), design_words(new_layout.get("design"))),
        ("Paper", paper_words(old_layout.get("paper")), paper_words(new_layout.get("paper"))),
    ]
    details = []
    old_sha, new_sha = old_photo.get("sha256"), new_photo.get("sha256")
    if old_sha != new_sha:
        before = "The photo it had" if old_sha else ""
        after = ("A different photo" if old_sha else "A photo") if new_sha else ""
        details.append(Detail("Photo", before, after))
    for label, before, after in pairs:
        if label == "How the photo prints" and (not old_sha or old_sha != new_sha):
            continue  # a new photo prints whole: that is no change anyone made
        if (before or "") != (after or ""):
            details.append(Detail(label, before or "", after or ""))
    return details


def fact_changes(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[Detail]:
    """Key facts by their label: added, removed and changed, in the newer version's order."""
    before = {f["label"]: f["value"] for f in old}
    after = {f["label"]: f["value"] for f in new}
    changes = [
        Detail(label, before.get(label, ""), value)
        for label, value in after.items()
        if before.get(label) != value
    ]
    changes += [Detail(label, value, "") for label, value in before.items() if label not in after]
    return changes


def identities(section: dict[str, Any]) -> list[str]:
    """Each statement's identity: its uid, or its text (and which copy) without one."""
    uids = section.get("uids")
    if uids and len(uids) == len(section["items"]):
        return list(uids)
    seen: dict[str, int] = {}
    result = []
    for text in section["items"]:
        seen[text] = seen.get(text, 0) + 1
        result.append(f"text:{seen[text]}:{text}")
    return result


def section_changes(
    old: Document, new: Document, default_heading: Callable[[str], str]
) -> list[SectionChanges]:
    """Each section that changed, in the newer version's order; one that is gone, last."""
    empty = {"items": [], "uids": []}
    old_sections = {s["key"]: s for s in old.get("sections", [])}
    new_sections = {s["key"]: s for s in new.get("sections", [])}
    keys = list(new_sections) + [k for k in old_sections if k not in new_sections]
    result = []
    for key in keys:
        before = old_sections.get(key, {"key": key, **empty})
        after = new_sections.get(key, {"key": key, **empty})
        statements = statement_changes(before, after)
        old_heading = before.get("heading") or default_heading(key)
        heading = after.get("heading") or default_heading(key)
        if statements or heading != old_heading:
            result.append(SectionChanges(key, heading, old_heading, tuple(statements)))
    return result


def statement_changes(old: dict[str, Any], new: dict[str, Any]) -> list[StatementChange]:
    """A section's statements, matched by identity, in the newer version's order; each
    removed statement where it stood."""
    old_ids, new_ids = identities(old), identities(new)
    old_text = dict(zip(old_ids, old["items"], strict=True))
    old_at = {uid: i for i, uid in enumerate(old_ids)}
    # Statements in both keep their order unless moved: the longest run kept in order
    # stands still, and the others moved.
    kept_old = [uid for uid in old_ids if uid in set(new_ids)]
    kept_new = [uid for uid in new_ids if uid in old_at]
    matcher = SequenceMatcher(None, kept_old, kept_new, autojunk=False)
    still = {
        uid
        for block in matcher.get_matching_blocks()
        for uid in kept_old[block.a : block.a + block.size]
    }
    placed: list[tuple[float, StatementChange]] = []
    for position, (uid, text) in enumerate(zip(new_ids, new["items"], strict=True)):
        if uid not in old_at:
            placed.append((position, StatementChange("added", text)))
            continue
        moved = uid not in still
        where = {"moved_from": old_at[uid] + 1, "moved_to": position + 1} if moved else {}
        if old_text[uid] != text:
            change = StatementChange(
                "changed", text, old_text[uid], words=word_changes(old_text[uid], text), **where
            )
            placed.append((position, change))
        elif moved:
            placed.append((position, StatementChange("moved", text, **where)))
    new_at = {uid: i for i, uid in enumerate(new_ids)}
    for index, uid in enumerate(old_ids):
        if uid in new_at:
            continue
        # Just after the statement that stood before it and is still there.
        before = [new_at[u] for u in old_ids[:index] if u in new_at]
        placed.append((max(before, default=-1) + 0.5, StatementChange("removed", old_text[uid])))
    placed.sort(key=lambda pair: pair[0])
    return [change for _, change in placed]


WORDS = re.compile(r"\s+|[^\s]+")


def word_changes(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The words of new against old: each run kept, removed or added, in reading order."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    result: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            result.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            result.append(("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            result.append(("added", "".join(b[j1:j2])))
    return tuple(result)
