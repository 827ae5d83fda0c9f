"""Links that open something without an account: a shared profile, an invitation to
contribute.

A link's token is its only key, so it carries 192 random bits and is kept only as a hash:
reading the database gives no one a link to open. Pages opened by such a link are kept
out of search engines, caches and other sites' logs. What both kinds of link have in the
database is models.OpenedByLink; what is done with them the same way is here.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TypeVar

from flask import Response, current_app, url_for
from flask_login import current_user
from sqlalchemy import select

from .extensions import db
from .models import MAX_LINK_DAYS, OpenedByLink, Profile, utcnow
from .services import act_for, every_organisation

TOKEN_BYTES = 24  # 192 bits, at least the 128 a link needs

# What every page opened by a link sends: no index, no copy kept, no address passed on.
LINK_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}

Link = TypeVar("Link", bound=OpenedByLink)


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


def lasting(days: int) -> dict:
    """When a link made now is made and expires, lasting days (1 to MAX_LINK_DAYS)."""
    now = utcnow()
    return {"created_at": now, "expires_at": now + timedelta(days=min(max(days, 1), MAX_LINK_DAYS))}


def link_address(endpoint: str, token: str) -> str:
    """The full address to copy and send: under BASE_URL when it is set, never a host a
    request named."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    if base:
        return base + url_for(endpoint, token=token)
    return url_for(endpoint, token=token, _external=True)


def live(model: type[Link], profile: Profile) -> list[Link]:
    """The profile's links of this kind that still work, newest first."""
    query = (
        select(model)
        .where(
            model.profile_id == profile.id,
            model.revoked_at.is_(None),
            model.expires_at > utcnow(),
        )
        .order_by(model.created_at.desc(), model.id.desc())
    )
    return list(db.session.scalars(query))


def find(model: type[Link], profile: Profile, link_id: int) -> Link | None:
    """One of the profile's links of this kind (the query is scoped to the organisation
    too): a link of another profile is not found."""
    query = select(model).where(model.id == link_id, model.profile_id == profile.id)
    return db.session.scalar(query)


def revoke(link: OpenedByLink) -> None:
    """Stop the link working, from now on."""
    if link.revoked_at is None:
        link.revoked_at = utcnow()


def by_token(model: type[Link], token: str) -> Link | None:
    """The link of this kind a token belongs to, whether it still works or not, in any
    organisation."""
    with every_organisation():  # whose link it is, is what this finds out
        return db.session.scalar(select(model).where(model.token_hash == token_hash(token)))


def act_for_link(link: OpenedByLink) -> None:
    """Act for the link's organisation for the rest of the request, so that it can read
    only what is that organisation's, and of that only what the link names.

    Someone signed in here as well is loaded first: loading them acts for their own
    organisation, which must never replace the link's later in the request.
    """
    current_user._get_current_object()
    act_for(link.organisation_id)
