"""A profile as a plain dictionary in the one-page-profile file format, version 1.

The same dictionary is what export writes and what the renderer prints, so a PDF
can only show what the file format can carry.
"""

from __future__ import annotations

import base64
from typing import Any

from .models import Profile

FORMAT = "one-page-profile"
VERSION = 1


def profile_document(profile: Profile, photo_data: bool = True) -> dict[str, Any]:
    """The profile in the file format; optional fields appear only when they hold something.

    Without photo_data the photo carries its hash (`sha256`) instead of its bytes, which
    are then not even read: enough to know which photo it is, as a print's cache key does.
    """
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "kind": profile.kind,
        "name": profile.name,
    }
    if profile.preferred_name:
        doc["preferred_name"] = profile.preferred_name
    doc["language"] = profile.language
    if profile.written_by:
        doc["written_by"] = profile.written_by
    if profile.photo is not None:
        doc["photo"] = {"media_type": profile.photo.media_type}
        if photo_data:
            doc["photo"]["data"] = photo_base64(profile)
        else:
            doc["photo"]["sha256"] = profile.photo.sha256
        doc["photo"]["description"] = profile.photo.description
    if profile.facts:
        doc["facts"] = [{"label": f["label"], "value": f["value"]} for f in profile.facts]
    doc["sections"] = [
        {
            "key": s.key,
            **({"heading": s.heading} if s.heading else {}),
            "items": [st.text for st in s.statements],
        }
        for s in profile.sections
    ]
    if profile.review_due:
        doc["review_due"] = profile.review_due.isoformat()
    doc["layout"] = {"design": profile.design, "paper": profile.paper}
    return doc


def photo_base64(profile: Profile) -> str:
    """The profile's photo as base64 text, as the file format and the print carry it."""
    return base64.b64encode(profile.photo.data).decode("ascii")


def revision_document(profile: Profile) -> dict[str, Any]:
    """What a revision keeps of the profile: the file format's content (the photo by its
    hash), each section's statement uids in the order of its items and, where any
    statement came through an invitation to contribute, who contributed each ("by", None
    for staff's own), how the photo prints and the consent record. The file format itself
    is left as it is."""
    doc = profile_document(profile, photo_data=False)
    for section, kept in zip(profile.sections, doc["sections"], strict=True):
        kept["uids"] = [st.uid for st in section.statements]
        by = [st.contributed_by for st in section.statements]
        if any(by):
            # Only then, so a version without contributions reads as versions always have.
            kept["by"] = by
    if profile.photo is not None:
        doc["photo"]["crop"] = profile.photo.crop
    doc["consent"] = {
        "self": profile.consent_self,
        "by": profile.consent_by,
        "relationship": profile.consent_relationship,
        "date": profile.consent_date.isoformat() if profile.consent_date else None,
    }
    return doc
