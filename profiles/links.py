"""Links that open something without an account: a shared profile, an invitation to
contribute.

A link's token is its only key, so it carries 192 random bits and is kept only as a hash:
reading the database gives no one a link to open. Pages opened by such a link are kept
out of search engines, caches and other sites' logs.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import Response

TOKEN_BYTES = 24  # 192 bits, at least the 128 a link needs

# What every page opened by a link sends: no index, no copy kept, no address passed on.
LINK_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def new_token() -> tuple[str, str]:
    """A fresh token for a link, and the hash to keep in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """What is kept of a token, and what a link's token is looked up by."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def link_headers(response: Response) -> Response:
    """Mark a response to a link's visitor as not to be indexed, kept or referred from."""
    response.headers.update(LINK_HEADERS)
    return response
