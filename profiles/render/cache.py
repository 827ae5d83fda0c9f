"""Fitting results kept in the database, under a hash of everything that shapes the PDF.

The key covers the profile's content, photo, headings, language, design and paper, and
the files and code that print them, so a changed profile can never get an old PDF.
"""

from __future__ import annotations

import json
from functools import cache
from hashlib import sha256
from pathlib import Path
from typing import Any

import weasyprint
from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from ..document import profile_document
from ..extensions import db
from ..kinds import Kind
from ..models import Profile, RenderResult, utcnow
from ..services import get_kind
from .designs import LABELS
from .fetcher import STATIC_DIR
from .fit import Outcome, fit_document
from .html import TEMPLATES_DIR, section_heading

# Bump when something outside the hashed files changes what prints (a library's behaviour).
RENDERER_VERSION = "1"


@cache
def code_and_assets_digest() -> str:
    """A hash of the print templates, stylesheets, fonts and this package's code, once a process."""
    digest = sha256(f"{RENDERER_VERSION} weasyprint {weasyprint.__version__}".encode())
    files = [
        *sorted((TEMPLATES_DIR / "print").glob("*.html")),
        *sorted((STATIC_DIR / "css").glob("print-*.css")),
        *sorted((STATIC_DIR / "fonts").glob("*.woff2")),
        *sorted((STATIC_DIR / "fonts").glob("*.ttf")),
        *sorted(Path(__file__).parent.glob("*.py")),
    ]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(document: dict[str, Any], kind: Kind, owner: int | None = None) -> str:
    """The sha256 (hex) of everything that shapes this document's PDF, and of its owner."""
    language = document.get("language") or "en"
    shaping = {
        "document": document,
        "headings": [section_heading(s, kind, language) for s in document["sections"]],
        "labels": LABELS.get(language, LABELS["en"]),
        # Each profile keeps its own results, so deleting one never touches another's.
        "owner": owner,
    }
    digest = sha256(code_and_assets_digest().encode())
    digest.update(json.dumps(shaping, sort_keys=True, separators=(",", ":")).encode())
    return digest.hexdigest()


def render_profile(
    profile: Profile, *, paper: str | None = None, design: str | None = None
) -> Outcome:
    """Fit a profile on one page, or reuse the result for identical content.

    Nothing the caller has pending is written by this: the result is kept in a transaction
    of its own.
    """
    with db.session.no_autoflush:
        document = profile_document(profile)
        document["layout"] = {
            "design": design or document["layout"]["design"],
            "paper": paper or document["layout"]["paper"],
        }
        kind = get_kind(profile.kind)
        key = cache_key(document, kind, owner=profile.id)
        stored = db.session.get(RenderResult, key)
    if stored is not None:
        return Outcome(
            fits=stored.pdf is not None,
            paper=document["layout"]["paper"],
            pdf=stored.pdf,
            font_size=stored.font_size,
            overflow=stored.overflow or [],
            cached=True,
        )
    outcome = fit_document(document, kind)
    store(profile.id, key, outcome)
    return outcome


def store(profile_id: int, key: str, outcome: Outcome) -> None:
    """Keep one result per profile, in a short transaction of its own, never the caller's."""
    table = RenderResult.__table__
    try:
        with db.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.profile_id == profile_id))
            connection.execute(
                insert(table).values(
                    key=key,
                    profile_id=profile_id,
                    font_size=outcome.font_size,
                    pdf=outcome.pdf,
                    overflow=None if outcome.fits else outcome.overflow,
                    created_at=utcnow(),
                )
            )
    except IntegrityError:
        # Another request stored the same result a moment earlier; theirs is as good.
        pass
