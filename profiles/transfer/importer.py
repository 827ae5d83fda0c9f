"""Importing profile files, all or nothing, and exporting a profile as a file."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..audit.service import record
from ..document import profile_document
from ..extensions import db
from ..models import Photo, Profile, Section, Statement
from ..photos import CleanPhoto, megabytes
from ..services import all_kinds, current_organisation_id, default_design, touch
from ..text import without_controls
from .validate import check_document

# A file with the largest photo the format allows (10 MB, so 13.4 MB of base64) still
# fits; anything bigger is not a profile, and is refused before it is parsed.
MAX_FILE_MB = 20
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024


class ImportProblems(Exception):
    """Files that break the format, so nothing was imported; holds every problem per file."""

    def __init__(self, files: list[tuple[str, list[str]]]) -> None:
        self.files = files
        super().__init__("\n".join(self.problems))

    @property
    def problems(self) -> list[str]:
        """Every problem, each starting with the name of its file."""
        return [f"{name}: {problem}" for name, problems in self.files for problem in problems]


Checked = tuple[dict[str, Any], CleanPhoto | None]


def import_files(files: Iterable[tuple[str, bytes]]) -> list[int]:
    """Create a profile from each (filename, bytes), all or none; the new ids in order.

    Raises ImportProblems, creating nothing, if any file breaks the format.
    """
    ready, refused = check_files(files)
    if refused:
        raise ImportProblems(refused)
    return save_profiles(ready)


def check_files(
    files: Iterable[tuple[str, bytes]],
) -> tuple[list[Checked], list[tuple[str, list[str]]]]:
    """Check every file: the documents ready to save, and each refused file's problems."""
    kinds = all_kinds()
    ready: list[Checked] = []
    refused: list[tuple[str, list[str]]] = []
    for filename, raw in files:
        doc, problems = read_document(raw)
        photo = None
        if not problems:
            checked = check_document(doc, kinds)
            problems, photo = checked.problems, checked.photo
        if problems:
            refused.append((filename, problems))
        else:
            ready.append((doc, photo))
    return ready, refused


def save_profiles(ready: list[Checked]) -> list[int]:
    """Create profiles from checked documents; their ids in order.

    Each import is recorded in the audit trail in the same unit of work, so a profile never
    exists without the event that says how it arrived.
    """
    profiles = [build_profile(doc, photo) for doc, photo in ready]
    db.session.add_all(profiles)
    for profile in profiles:
        touch(profile, "Imported")  # its history starts as the file had it
    db.session.flush()
    for profile in profiles:
        record("imported", profile.id)
    return [profile.id for profile in profiles]


class _Object(dict):
    """A JSON object that remembers keys written more than once (json keeps only the last)."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, object]]) -> _Object:
    """A JSON object, its text without direction controls (objects inside come cleaned)."""
    obj = _Object((key, without_controls(value)) for key, value in pairs)
    if len(obj) < len(pairs):
        counts = Counter(key for key, _ in pairs)
        obj.repeated = tuple(key for key, count in counts.items() if count > 1)
    return obj


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def read_document(raw: bytes) -> tuple[Any, list[str]]:
    """Parse a file's bytes as UTF-8 JSON, or problems with it: too big, not UTF-8 or not JSON."""
    if len(raw) > MAX_FILE_BYTES:
        size = megabytes(len(raw))
        return None, [f"the file is {size:.1f} MB; a profile file can be up to {MAX_FILE_MB} MB"]
    try:
        # A byte order mark is UTF-8 too: Windows Notepad writes one.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            f"not UTF-8 text (byte {exc.start + 1} cannot be read): save the file as UTF-8"
        ]
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_no_constant), []
    except json.JSONDecodeError as exc:
        return None, [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
    except (ValueError, RecursionError) as exc:
        return None, [f"not valid JSON ({exc})"]


def build_profile(doc: dict[str, Any], photo: CleanPhoto | None) -> Profile:
    """A new draft profile from a checked document (not yet added to the session)."""
    layout = doc.get("layout", {})
    review_due = doc.get("review_due")
    profile = Profile(
        organisation_id=current_organisation_id(),
        kind=doc["kind"],
        # Text is kept exactly as written (the format measures lengths after trimming, but
        # keeps the text); printing trims what it shows.
        name=doc["name"],
        preferred_name=doc.get("preferred_name", ""),
        written_by=doc.get("written_by", ""),
        language=doc.get("language", "en"),
        # A file's own date is kept, even a past one (that profile is simply overdue);
        # without one, the kind's period from today, as for a new profile.
        review_due=date.fromisoformat(review_due)
        if review_due
        else all_kinds()[doc["kind"]].next_review(),
        design=layout.get("design") or default_design(doc["kind"]),
        paper=layout.get("paper", "A4"),
        facts=[{"label": f["label"], "value": f["value"]} for f in doc.get("facts", [])],
        status="draft",
        # Imported profiles open on the check-your-answers page, ready to be looked over.
        step="review",
    )
    sections = [
        Section(
            key=s["key"],
            # A blank heading means the kind's own heading, as it does in the wizard.
            heading=s["heading"] if s.get("heading", "").strip() else None,
            statements=[Statement(position=i, text=t) for i, t in enumerate(s["items"])],
        )
        for s in doc["sections"]
    ]
    given = {s.key for s in sections}
    sections += [Section(key=k) for k in all_kinds()[doc["kind"]].section_keys if k not in given]
    for position, section in enumerate(sections):
        section.position = position
    profile.sections = sections
    if photo is not None:
        profile.photo = Photo(
            media_type=photo.media_type,
            data=photo.data,
            width=photo.width,
            height=photo.height,
            description=doc["photo"].get("description", ""),
            sha256=photo.sha256,
        )
    return profile


def export_json(profile: Profile) -> str:
    """The profile as a file in the format: the document as UTF-8 JSON, indented by two."""
    return json.dumps(profile_document(profile), ensure_ascii=False, indent=2) + "\n"
