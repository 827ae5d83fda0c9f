"""Service functions shared by every area: the organisation every query is scoped to, and
finding, creating and changing profiles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from flask import abort, current_app, flash, g, has_request_context, session
from flask_login import current_user
from sqlalchemy import Connection, delete, event, func, insert, inspect, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, with_loader_criteria
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.util import find_tables

from .document import revision_document
from .extensions import db
from .kinds import Kind
from .models import (
    OrganisationScoped,
    Photo,
    Profile,
    RenderResult,
    Revision,
    Section,
    utcnow,
)
from .render.designs import DESIGNS


class StaleProfileError(Exception):
    """Someone else saved the profile since this page was opened."""


# Where a unit of work keeps what waits for its commit, how many are open and which
# profiles it changed, and where Flask keeps messages.
ONCE_SAVED, UNITS, TOUCHED, FLASHES = "once_saved", "units_of_work", "touched", "_flashes"


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One request's or command's changes: committed together when it ends well, else none.

    The only place that commits or rolls back. Service functions add and flush; whatever
    goes wrong after they have, nothing they began is kept, and no message it flashed
    ("Your changes are saved") is shown. What must happen only once the changes are saved
    (an email, say) waits for the commit: see once_saved().
    """
    flashed = list(session.get(FLASHES, [])) if has_request_context() else None
    info = db.session.info
    info[UNITS] = info.get(UNITS, 0) + 1
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        info.pop(ONCE_SAVED, None)
        if flashed is not None:
            session[FLASHES] = flashed
        raise
    finally:
        info[UNITS] -= 1
    for action in info.pop(ONCE_SAVED, []):
        action()


def once_saved(action: Callable[[], None]) -> None:
    """Run action when this unit of work's changes are committed; never if they are not."""
    db.session.info.setdefault(ONCE_SAVED, []).append(action)


def in_unit_of_work() -> bool:
    return db.session.info.get(UNITS, 0) > 0


def all_kinds() -> dict[str, Kind]:
    return current_app.extensions["profile_kinds"]


def get_kind(key: str) -> Kind:
    return all_kinds()[key]


def act_for(organisation_id: int) -> None:
    """Scope every later query of this request (or command) to one organisation."""
    g.organisation_id = organisation_id


def current_organisation_id() -> int:
    """The organisation this request (or command) acts for; never guessed."""
    organisation_id = g.get("organisation_id")
    if organisation_id is None:
        raise RuntimeError(
            "No organisation is chosen for this request or command: act_for() one, or read "
            "install-wide data inside every_organisation()"
        )
    return organisation_id


@contextmanager
def every_organisation() -> Iterator[None]:
    """Queries inside see every organisation's rows: the named way out of the scope.

    For what is install-wide by nature: finding the account that is signing in, the
    install's own pages, and commands, which act for the server's operator.
    """
    before = g.get("every_organisation", False)
    g.every_organisation = True
    try:
        yield
    finally:
        g.every_organisation = before


@event.listens_for(Session, "do_orm_execute")
def _scope_to_organisation(state: ORMExecuteState) -> None:
    """Add the current organisation to every query, update and delete of scoped rows.

    Scoped rows are found wherever the statement reads them: its entities, joins and
    subqueries alike. Loading an object's own columns or relationships needs no scope: the
    object itself was found through a scoped query. A statement that reads scoped rows is
    refused when no organisation is chosen, and when it reads their table without its
    model (where the scope cannot reach), so that a query that forgets fails closed.
    """
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load or g.get("every_organisation"):
        return
    scoped = not scoped_tables().isdisjoint(
        find_tables(state.statement, include_aliases=True, include_joins=True, include_crud=True)
    )
    if not scoped and g.get("organisation_id") is None:
        return
    organisation_id = current_organisation_id()
    if scoped and not state.is_orm_statement:
        raise RuntimeError(
            "Read an organisation's rows through their model, so that the scope applies, or "
            "inside every_organisation()"
        )
    state.statement = state.statement.options(
        with_loader_criteria(
            OrganisationScoped,
            lambda cls: cls.organisation_id == organisation_id,
            include_aliases=True,
        )
    )


@cache
def scoped_tables() -> frozenset:
    """The tables of every model that belongs to an organisation."""
    return frozenset(
        mapper.local_table
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, OrganisationScoped)
    )


def profile_counts() -> dict[int, int]:
    """How many profiles each organisation has, by organisation id.

    Counts only, for the administrator of the whole install: never a profile.
    """
    query = select(Profile.organisation_id, func.count(Profile.id))
    with every_organisation():
        return dict(db.session.execute(query.group_by(Profile.organisation_id)).all())


def find_profile(profile_id: int) -> Profile | None:
    """The profile with this id, or None."""
    return db.session.scalar(select(Profile).where(Profile.id == profile_id))


def get_profile(profile_id: int) -> Profile:
    """The profile with this id, or a 404 page."""
    profile = find_profile(profile_id)
    if profile is None:
        abort(404)
    return profile


def default_design(kind: str) -> str:
    """The design a new profile of this kind prints in until someone chooses another.

    A hospital passport goes with a person to hospital, where its traffic-light layout
    (key facts and allergies at the top) is what ward staff expect; every other kind
    starts classic. Only a design the app has is offered.
    """
    if kind == "hospital" and "passport" in DESIGNS:
        return "passport"
    return "classic"


def create_profile(
    kind: str, name: str, preferred_name: str | None = "", written_by: str | None = ""
) -> Profile:
    """A new draft profile with the kind's sections, empty and in their default order, due
    for review after its kind's period."""
    profile = Profile(
        organisation_id=current_organisation_id(),
        kind=kind,
        name=name.strip(),
        # A form without the optional boxes sends nothing for them.
        preferred_name=(preferred_name or "").strip(),
        written_by=(written_by or "").strip(),
        design=default_design(kind),
        review_due=get_kind(kind).next_review(),
    )
    profile.sections = [
        Section(key=s.key, position=i) for i, s in enumerate(get_kind(kind).sections)
    ]
    db.session.add(profile)
    touch(profile, "Created")
    return profile


def check_version(profile: Profile, version: int | None) -> None:
    """Refuse a save made from a page older than the profile."""
    if version is not None and version != profile.version:
        raise StaleProfileError


def flush_or_stale() -> None:
    """Write what this unit of work changed now, so that a save of the same profile that
    went first in the same instant is refused here, as stale, where the page can say so
    and show again what was sent, not as a failure at the commit.

    The database lets only one of two saves of the same version through (see Profile's
    version_id_col); the other is a StaleProfileError, like any save from an older page.
    """
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleProfileError from None


DRAFT_AGAIN = (
    "This profile has changed, so it is a draft again. Check it and mark it ready to print "
    "when you are happy with it."
)


def draft_again(profile: Profile) -> bool:
    """A profile marked ready whose content has changed is a draft again, and the person
    is told so on the next page: changes nobody has checked must not print as if they had
    been. True when it was ready."""
    if profile.status != "ready":
        return False
    profile.status = "draft"
    if has_request_context():
        flash(DRAFT_AGAIN, "warning")
    return True


def touch(profile: Profile, what: str = "Changed", note: str = "") -> None:
    """Mark the profile changed: a new version, the time of the change, and a revision kept
    when the unit of work commits (see _keep_revisions), saying who, when and what.

    Every change of content comes through here, so no save can go without its revision.
    A unit of work makes one version and one revision of a profile however often it is
    touched; the first words that say more than "Changed" ("Created", "Restored version
    3") name it.
    """
    touched = db.session.info.setdefault(TOUCHED, {})
    if profile not in touched:
        profile.version = (profile.version or 0) + 1
        profile.updated_at = utcnow()
    if touched.get(profile, ("Changed", ""))[0] == "Changed":
        touched[profile] = (what, note)


@event.listens_for(Session, "before_commit")
def _keep_revisions(session: Session) -> None:
    """Keep a revision of each profile touched in this unit of work, as it is committed."""
    touched = session.info.pop(TOUCHED, None)
    if not touched:
        return
    session.flush()  # every new profile has its id, every new statement its uid
    user_id = current_user.id if has_request_context() and current_user.is_authenticated else None
    for profile, (what, note) in touched.items():
        state = inspect(profile)
        if not state.persistent:  # deleted, or never added, in the same unit of work
            continue
        session.add(
            Revision(
                profile_id=profile.id,
                number=profile.version,
                user_id=user_id,
                what=what,
                note=note,
                document=revision_document(profile),
            )
        )


@event.listens_for(Session, "after_soft_rollback")
def _forget_touched(session: Session, previous: SessionTransaction) -> None:
    """What was rolled back keeps no revision."""
    if previous.parent is None:
        session.info.pop(TOUCHED, None)


def stored_print(key: str) -> RenderResult | None:
    """The print kept under this key (a PDF, or what to shorten), if there is one."""
    with db.session.no_autoflush:  # a cache read must not write the caller's changes
        return db.session.get(RenderResult, key)


def last_print_size(profile_id: int, design: str, paper: str) -> float | None:
    """The font size the profile last printed at, in this design and paper if it has been;
    None if it has never printed, or never fitted."""
    same = (RenderResult.design == design) & (RenderResult.paper == paper)
    query = (
        select(RenderResult.font_size)
        .where(RenderResult.profile_id == profile_id, RenderResult.font_size.is_not(None))
        .order_by(same.desc(), RenderResult.created_at.desc())
        .limit(1)
    )
    with db.session.no_autoflush:
        return db.session.scalar(query)


def write_aside(what: str, write: Callable[[Connection], object]) -> None:
    """Write something kept only to save work later (a print, a thumbnail).

    Written in a short transaction of its own, on a connection of its own, so that it can
    never commit or roll back the caller's work; and, inside a unit of work, once that is
    saved, so that it never waits for a lock the caller holds (SQLite locks the whole
    database for a writer). What cannot be kept only costs the next request its speed.
    """
    if in_unit_of_work():
        once_saved(lambda: write_aside(what, write))
        return
    try:
        with db.engine.begin() as connection:
            write(connection)
    except SQLAlchemyError as exc:
        # Another request kept the same a moment earlier, or the profile is not saved yet.
        # The kind of failure only: never what was kept.
        current_app.logger.info("%s was not kept for reuse: %s", what, type(exc).__name__)


def keep_print(
    key: str,
    profile_id: int,
    design: str,
    paper: str,
    *,
    font_size: float | None,
    pdf: bytes | None,
    overflow: list[dict[str, object]] | None,
    version: int | None = None,
) -> None:
    """Keep a print's result: one per profile, design, paper and version printed (None: as
    it is), the newest replacing the last (see write_aside)."""
    table = RenderResult.__table__
    version = version or 0
    same = (
        table.c.profile_id == profile_id,
        table.c.design == design,
        table.c.paper == paper,
        table.c.version == version,
    )

    def write(connection: Connection) -> None:
        connection.execute(delete(table).where(*same))
        connection.execute(
            insert(table).values(
                key=key,
                profile_id=profile_id,
                design=design,
                paper=paper,
                version=version,
                font_size=font_size,
                pdf=pdf,
                overflow=overflow,
                created_at=utcnow(),
            )
        )

    write_aside("A print", write)


def keep_thumbnail(profile_id: int, sha256: str, data: bytes) -> None:
    """Keep a photo's thumbnail, if the photo is still the one it was made from."""
    table = Photo.__table__
    still = (table.c.profile_id == profile_id, table.c.sha256 == sha256)
    values = {"thumbnail": data, "thumbnail_of": sha256}
    write_aside("A thumbnail", lambda c: c.execute(update(table).where(*still).values(values)))
