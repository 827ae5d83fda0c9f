"""Recording who did what to which profile, and reading the record back for administrators."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import Select, select

from ..extensions import db
from ..models import AUDIT_ACTIONS, AuditEvent, Profile, User, aware
from ..services import current_organisation_id
from ..templating import UK_TIME

PER_PAGE = 50
COMMAND_LINE = "Command line"
# Who opened a profile by a share link: a visitor without an account, never named.
LINK_VISITOR = "Someone with a share link"
CSV_COLUMNS = ("time", "person id", "person name", "action", "profile id")


def record(action: str, profile_id: int, *, user_id: int | None = None) -> AuditEvent:
    """Note that someone did something to a profile, by the signed-in person unless told.

    The event joins the request's (or command's) unit of work, so it is saved with the
    change it records, or not at all. The command line records nobody.
    """
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"'{action}' is not an audit action; use one of {AUDIT_ACTIONS}")
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(
        organisation_id=current_organisation_id(),
        user_id=user_id,
        profile_id=profile_id,
        action=action,
    )
    db.session.add(event)
    return event


@dataclass(frozen=True)
class Filters:
    """Which events to show: by whom, about which profile, between which UK dates."""

    user_id: int | None = None
    profile_id: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Entry:
    """One event as people read it: names looked up now, never stored with the event."""

    at: datetime
    user_id: int | None
    person: str
    action: str
    profile_id: int
    # Only while the profile still exists in this organisation.
    profile_name: str | None


def start_of_day(day: date) -> datetime:
    """Midnight in the UK at the start of this day, in UTC as events are stored."""
    return datetime.combine(day, time(), UK_TIME).astimezone(UTC)


def events_query(filters: Filters) -> Select:
    """This organisation's events, newest first; every read of the trail starts here."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if filters.user_id is not None:
        query = query.where(AuditEvent.user_id == filters.user_id)
    if filters.profile_id is not None:
        query = query.where(AuditEvent.profile_id == filters.profile_id)
    if filters.since is not None:
        query = query.where(AuditEvent.at >= start_of_day(filters.since))
    # The last day there is has no day after it to stop before.
    if filters.until is not None and filters.until < date.max:
        query = query.where(AuditEvent.at < start_of_day(filters.until + timedelta(days=1)))
    return query


def accounts() -> list[User]:
    """Everyone in the organisation who may appear in the trail, deactivated accounts too."""
    return list(db.session.scalars(select(User).order_by(User.name, User.id)))


def entries(events: list[AuditEvent]) -> list[Entry]:
    """The events with the names of their people and of the profiles that still exist."""
    people = {user.id: user.name for user in accounts()}
    ids = {event.profile_id for event in events}
    profiles = {
        row.id: row
        for row in db.session.execute(
            select(Profile.id, Profile.name, Profile.created_at).where(Profile.id.in_(ids))
        )
    }
    result = []
    for event in events:
        profile = profiles.get(event.profile_id)
        # A profile made after the event has only reused a deleted profile's id.
        named = profile is not None and profile.created_at <= event.at
        result.append(
            Entry(
                at=event.at,
                user_id=event.user_id,
                person=who(event, people),
                action=event.action,
                profile_id=event.profile_id,
                profile_name=profile.name if named else None,
            )
        )
    return result


def who(event: AuditEvent, people: dict[int, str]) -> str:
    """Who did it, in words: a member of staff, a visitor by a share link, or the command
    line."""
    if event.action == "opened":
        return LINK_VISITOR
    return people.get(event.user_id, COMMAND_LINE)


def find_events(filters: Filters, page: int):
    """One page of matching events (a Pagination) and their entries."""
    pagination = db.paginate(
        events_query(filters), page=page, per_page=PER_PAGE, error_out=False, count=True
    )
    return pagination, entries(pagination.items)


def events_csv(filters: Filters) -> str:
    """Every matching event as CSV: UTC times and ids, with only the person's name added."""
    people = {user.id: user.name for user in accounts()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in db.session.scalars(events_query(filters)):
        writer.writerow(
            (
                aware(event.at).isoformat(timespec="seconds"),
                event.user_id or "",
                spreadsheet_safe(who(event, people)),
                event.action,
                event.profile_id,
            )
        )
    return out.getvalue()


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a name starting '=' or '+' is not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
