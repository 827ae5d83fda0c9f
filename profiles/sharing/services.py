"""Share links: made by staff for one profile, opened by anyone who has one.

A link opens exactly one profile, read only, until it expires or is revoked. Its token is
kept only as a hash and its access code only as a slow hash (see profiles.links), so the
full link can be shown once, to whoever made it, and never again.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import abort, current_app, has_request_context, session, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import links
from ..accounts.sessions import new_id
from ..audit.service import record, spreadsheet_safe
from ..extensions import db
from ..links import new_token
from ..models import Profile, Revision, ShareLink, User, aware, utcnow
from ..printing.service import content_at, print_document, with_images
from ..render import Outcome, Screen, get_design, print_html
from ..security import csp_nonce
from ..services import get_kind

# The links this browser's visitor has given the access code for, by id.
UNLOCKED = "share_links_unlocked"


def make_link(
    profile: Profile, days: int, code: str = "", version: int | None = None
) -> tuple[ShareLink, str]:
    """A new link to the profile, lasting days, and its token: the only time it is known.

    With a version (the one agreed: see agreed_version) the link shows the profile as it was
    then, whatever is changed later; without, as it is whenever it is opened.
    """
    token, kept = new_token()
    link = ShareLink(
        organisation_id=profile.organisation_id,
        profile_id=profile.id,
        token_hash=kept,
        code_hash=generate_password_hash(code_as_kept(code)) if code else None,
        created_by=current_user.id if signed_in() else None,
        version=version,
        **links.lasting(days),
    )
    db.session.add(link)
    db.session.flush()
    record("shared", profile.id)
    return link, token


def code_as_kept(code: str) -> str:
    """An access code as it is hashed and checked: without case, since codes are passed on
    by phone or in person, where capitals are easily missed ("Blue Kettle", "blue kettle"
    and "BLUE KETTLE" are one code)."""
    return code.casefold()


def agreed_version(profile: Profile) -> int | None:
    """The version of the profile last agreed to, if a revision of it is kept."""
    if profile.agreed_version is None or profile.consent_self is None:
        return None
    kept = select(Revision.number).where(
        Revision.profile_id == profile.id, Revision.number == profile.agreed_version
    )
    return db.session.scalar(kept)


def signed_in() -> bool:
    return has_request_context() and current_user.is_authenticated


def all_links(profile: Profile) -> list[ShareLink]:
    """Every link ever made to the profile, live or not, oldest first."""
    query = select(ShareLink).where(ShareLink.profile_id == profile.id)
    return list(db.session.scalars(query.order_by(ShareLink.created_at, ShareLink.id)))


LINKS_CSV_COLUMNS = (
    "made",
    "made by",
    "works until",
    "access code",
    "revoked",
    "last opened",
)


def links_csv(profile: Profile) -> str:
    """Every link made to the profile as CSV, UTC times, for the person's rights export:
    what was shared and when, never the link itself nor anything that would open it."""
    made = all_links(profile)
    names = makers(made)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LINKS_CSV_COLUMNS)

    def at(moment: datetime | None) -> str:
        return aware(moment).isoformat(timespec="seconds") if moment else ""

    for link in made:
        writer.writerow(
            (
                at(link.created_at),
                spreadsheet_safe(names.get(link.created_by, "")),
                at(link.expires_at),
                "yes" if link.code_hash else "no",
                at(link.revoked_at),
                at(link.last_opened_at),
            )
        )
    return out.getvalue()


def makers(shown: list[ShareLink]) -> dict[int, str]:
    """The names of the staff who made these links, by account id."""
    ids = {link.created_by for link in shown if link.created_by is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def act_for_link(link: ShareLink) -> Profile:
    """Act for the link's organisation for the rest of the request, and give its profile:
    that profile only, whatever else the request names."""
    links.act_for_link(link)
    profile = db.session.get(Profile, link.profile_id)
    if profile is None:  # deleted in the same instant; its links go with it
        abort(404)
    return profile


def unlocked(link: ShareLink) -> bool:
    """Whether this browser may see the profile: the link has no code, or it was given."""
    return link.code_hash is None or link.id in session.get(UNLOCKED, [])


def unlock(link: ShareLink, code: str) -> bool:
    """Check an access code; remember in this browser's session that it was right.

    A locked link takes no code, not even the right one: see note_wrong_code. The session
    moves to a new id, as on signing in: an id planted in this browser by someone else
    (session fixation) opens nothing for them.
    """
    if (
        link.code_hash is None
        or link.locked
        or not check_password_hash(link.code_hash, code_as_kept(code))
    ):
        return False
    session[UNLOCKED] = [*session.get(UNLOCKED, []), link.id]
    new_id(current_app._get_current_object())
    return True


def note_wrong_code(link: ShareLink) -> bool:
    """Count a wrong access code against the link, for its whole life; whether the link is
    now locked. The limits per address only slow guessing: over a link's weeks, many
    slow guesses would find a short code. Counted in the database itself, so that
    guesses sent at the same moment are all counted."""
    link.code_failures = ShareLink.code_failures + 1
    db.session.flush()
    return link.locked


def note_opening(link: ShareLink) -> None:
    """Record that the link opened its profile: in the audit trail, and on the link."""
    link.last_opened_at = utcnow()
    event = record("opened", link.profile_id)
    # A visitor by link, even someone who is also signed in here: never an account.
    event.user_id = None


def names_shown(profile: Profile, link: ShareLink) -> tuple[str, str]:
    """The person's name, and the name they like to be called, as the link shows the
    profile: as they were in the version agreed, when the link was made for it (a name
    changed since must not head a page that shows the older version)."""
    if link.version is not None:
        try:
            document = content_at(profile, link.version)
        except LookupError:
            pass  # the version is gone with its revisions: printing says so
        else:
            return document["name"], document.get("preferred_name") or document["name"]
    return profile.name, profile.preferred_name or profile.name


def shared_html(profile: Profile, link: ShareLink, outcome: Outcome | None) -> str:
    """The profile as its printed page (as the link shows it: now, or the version agreed),
    for a browser without an account: the photo and logo are carried in the page itself,
    since the addresses staff use need signing in."""
    document = with_images(print_document(profile, version=link.version), profile)
    size = (outcome and outcome.font_size) or get_design(profile.design).floor
    notice = ""
    if outcome is None or not outcome.fits:
        notice = (
            "This profile cannot be printed on one page at the moment, so it may not look "
            "as it prints. Ask whoever shared it with you for a printed copy."
        )
    screen = Screen(
        asset=lambda path: url_for("static", filename=path), nonce=csp_nonce(), notice=notice
    )
    return print_html(document, get_kind(profile.kind), size, screen)
