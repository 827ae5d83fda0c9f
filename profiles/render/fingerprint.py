"""The cache key of a print: a hash of everything that shapes its PDF.

It covers the document (with the photo's hash, never its bytes), the headings and fixed
words it prints in its language, its design and paper, and the files and code that print
it, so a changed profile can never be given an old PDF.
"""

from __future__ import annotations

import json
from functools import cache
from hashlib import sha256
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..kinds import Kind
from .assets import STATIC_DIR, TEMPLATES_DIR
from .designs import LABELS
from .html import section_heading

# Bump when something outside the hashed files changes what prints.
RENDERER_VERSION = "2"


@cache
def code_and_assets_digest() -> str:
    """A hash of the print templates, stylesheets, fonts, images and this package's code,
    once a process."""
    digest = sha256(f"{RENDERER_VERSION} weasyprint {version('weasyprint')}".encode())
    files = [
        *sorted((TEMPLATES_DIR / "print").glob("*.html")),
        *sorted((STATIC_DIR / "css").glob("print-*.css")),
        *sorted((STATIC_DIR / "fonts").glob("*.ttf")),
        *sorted((STATIC_DIR / "img").glob("print-*")),
        *sorted(Path(__file__).parent.glob("*.py")),
    ]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(document: dict[str, Any], kind: Kind, owner: int | None = None) -> str:
    """The sha256 (hex) of everything that shapes this document's PDF, and of its owner.

    Give the photo as its hash (`sha256`) rather than its data: hashing the data's base64
    on every print would cost more than the rest of the key.
    """
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
