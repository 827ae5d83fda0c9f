"""Agreement belongs to a version of the profile: what was agreed is what a reader saw.

When the person (or someone for them) agrees, a fingerprint of the profile's content as a
reader sees it is kept (printed_content below: not the paper, the review date or how the
photo is cropped). Any later change of that content shows as "changed since it was
agreed" until it is agreed again; changing it back makes it agreed again, as it is then
exactly what was agreed.
"""

from __future__ import annotations

import json
from hashlib import sha256
from typing import Any

from ..document import profile_document
from ..extensions import db
from ..models import Profile

NEVER, CURRENT, CHANGED = "never", "current", "changed"

# A printing choice, like the paper: changing it leaves a profile ready to print.
NOT_READ = ("layout", "review_due", "consent", "crop", "print_unagreed")


def printed_content(document: dict[str, Any]) -> dict[str, Any]:
    """What a reader of the profile sees, leaving out paper size, review date, consent,
    how the photo is cropped and whether it prints without the draft line."""
    return {k: v for k, v in document.items() if k not in NOT_READ}


def content_fingerprint(profile: Profile) -> str:
    """The sha256 (hex) of what a reader of the profile sees (the photo by its hash)."""
    with db.session.no_autoflush:
        content = printed_content(profile_document(profile, photo_data=False))
    return sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def agreement(profile: Profile) -> str:
    """NEVER agreed, agreed to the CURRENT content, or agreed to content since CHANGED.

    An agreement recorded before agreements were kept with their version has no
    fingerprint: it is asked again, rather than taken as agreement to whatever is there now.
    """
    if profile.consent_self is None:
        return NEVER
    if profile.agreed_fingerprint == content_fingerprint(profile):
        return CURRENT
    return CHANGED


def record_agreement(profile: Profile) -> None:
    """Note that what the profile holds now is what was agreed (the version is noted once
    the step is saved: see pages.agree_step)."""
    profile.agreed_fingerprint = content_fingerprint(profile)
