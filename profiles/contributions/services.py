"""Invitations to contribute, and the queue of what contributors wrote.

Gathering appreciations from the people who know someone best is part of making a
one-page profile. A contributor needs only the link: no account, and nothing of the
profile is shown to them but the name the person likes to be called.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from .. import links
from ..audit.service import spreadsheet_safe
from ..extensions import db
from ..kinds import Kind
from ..links import new_token
from ..models import (
    MAX_STATEMENT,
    MAX_STATEMENTS,
    Contribution,
    ContributionInvite,
    Profile,
    Statement,
    User,
    aware,
    utcnow,
)
from ..services import draft_again, flush_or_stale, get_kind, touch
from ..templating import when

# Contributions one link may leave waiting: enough for a family, a stop to a flood.
MAX_WAITING = 50

# Always asked: what people appreciate about the person; a hospital passport, which has no
# such section, asks for their likes and dislikes (never what staff must know to keep them
# safe, which is for those caring for them to write).
ALWAYS = ("appreciation", "likes")
# Asked only where staff allow it: what is important to the person, how to support them.
SUGGESTIONS = ("important", "support")

# What a contributor is asked for each section, about the person by name.
QUESTIONS = {
    "appreciation": "What do you like and admire about {name}?",
    "important": "What do you think is important to {name}?",
    "support": "How can people best support {name}?",
    "likes": "What does {name} like, and what do they dislike?",
}
HINTS = {
    "appreciation": "For example, what people thank them for, what they are good at, or "
    "what makes them good company.",
    "important": "For example, the people, places, things and routines that matter to them.",
    "support": "For example, what helps them, what to avoid, and how to tell if they are "
    "worried or unwell.",
    "likes": "For example, food and drink, music, company, and what upsets them.",
}


class Refused(Exception):
    """What was asked cannot be done; the message says why and what to do instead."""


class AlreadyDecided(Refused):
    """Someone decided on the contribution first (perhaps at the same moment): nothing of
    this decision was done."""


@dataclass(frozen=True)
class Offered:
    """A section a contributor is asked about."""

    key: str
    heading: str  # as staff know it
    question: str  # as the contributor is asked
    hint: str


def called(profile: Profile) -> str:
    """The only thing about the person a contributor is shown: the name they like to be
    called, or else their first name."""
    return profile.preferred_name or profile.name.split()[0]


def heading_of(profile: Profile, kind: Kind, key: str) -> str:
    """A section's heading as staff see it on the profile."""
    section = profile.section(key)
    if section is not None and section.heading:
        return section.heading
    definition = next((s for s in kind.sections if s.key == key), None)
    return definition.heading(profile.language) if definition else key


def offered_sections(profile: Profile, allow_suggestions: bool) -> list[Offered]:
    """What a contributor is asked: what they appreciate about the person (a hospital
    passport: their likes and dislikes; a kind with neither: its first section), and, where
    staff allow it, suggestions for what is important to the person and how to support
    them."""
    kind = get_kind(profile.kind)
    keys = [s.key for s in kind.sections]
    chosen = [next((key for key in ALWAYS if key in keys), keys[0])]
    if allow_suggestions:
        chosen += [key for key in SUGGESTIONS if key in keys and key not in chosen]
    name = called(profile)
    return [
        Offered(
            key,
            heading_of(profile, kind, key),
            QUESTIONS.get(key, heading_of(profile, kind, key)).format(name=name),
            HINTS.get(key, ""),
        )
        for key in chosen
    ]


def make_invite(
    profile: Profile, label: str, allow_suggestions: bool, days: int, user_id: int | None
) -> str:
    """A new invitation to contribute to the profile; the link to hand over, which is never
    kept (only its token's hash is)."""
    token, hashed = new_token()
    db.session.add(
        ContributionInvite(
            organisation_id=profile.organisation_id,
            profile_id=profile.id,
            token_hash=hashed,
            label=label,
            allow_suggestions=allow_suggestions,
            created_by=user_id,
            **links.lasting(days),
        )
    )
    return links.link_address("contributions.contribute", token)


def sent_through(profile: Profile) -> dict[int, int]:
    """How many contributions came through each of the profile's links, by link id."""
    query = (
        select(Contribution.invite_id, func.count(Contribution.id))
        .where(Contribution.profile_id == profile.id, Contribution.invite_id.is_not(None))
        .group_by(Contribution.invite_id)
    )
    return dict(db.session.execute(query).all())


def open_invite(token: str) -> ContributionInvite | None:
    """The live invitation a link's token opens, or None; the rest of the request then acts
    for its organisation, so it can read only the profile the link was made for."""
    invite = links.by_token(ContributionInvite, token)
    if invite is None or not invite.is_live():
        return None
    links.act_for_link(invite)
    return invite


def waiting(profile: Profile) -> list[Contribution]:
    """Contributions waiting for staff, oldest first."""
    query = (
        select(Contribution)
        .where(Contribution.profile_id == profile.id, Contribution.state == "pending")
        .order_by(Contribution.created_at, Contribution.id)
    )
    return list(db.session.scalars(query))


def declined(profile: Profile) -> list[Contribution]:
    """Contributions staff declined, most recently declined first: kept, so that a mis-tap
    loses nobody's words."""
    query = (
        select(Contribution)
        .where(Contribution.profile_id == profile.id, Contribution.state == "declined")
        .order_by(Contribution.decided_at.desc(), Contribution.id.desc())
    )
    return list(db.session.scalars(query))


def deciders(decided: list[Contribution]) -> dict[int, str]:
    """The names of the staff who decided on these contributions, by account id."""
    ids = {c.decided_by for c in decided if c.decided_by is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def put_back(contribution: Contribution) -> bool:
    """Put a declined contribution back in the queue, waiting as it was; whether it was
    put back (not if someone else has put it back already). One UPDATE of a declined row,
    as deciding is (see decide)."""
    changed = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id, Contribution.state == "declined")
        .values(state="pending", decided_by=None, decided_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(contribution)
    return changed == 1


def waiting_count(profile: Profile) -> int:
    query = select(func.count(Contribution.id)).where(
        Contribution.profile_id == profile.id, Contribution.state == "pending"
    )
    return db.session.scalar(query) or 0


def find_contribution(profile: Profile, contribution_id: int) -> Contribution | None:
    query = select(Contribution).where(
        Contribution.id == contribution_id, Contribution.profile_id == profile.id
    )
    return db.session.scalar(query)


def contribute(
    invite: ContributionInvite, name: str, relationship: str, texts: dict[str, str]
) -> list[Contribution]:
    """Put what a contributor wrote in the profile's queue, one contribution per section.

    Refused, and nothing kept, when the link already has as many waiting as staff can be
    asked to read: a flood stops there.
    """
    already = db.session.scalar(
        select(func.count(Contribution.id)).where(
            Contribution.invite_id == invite.id, Contribution.state == "pending"
        )
    )
    if (already or 0) + len(texts) > MAX_WAITING:
        raise Refused(
            "This link has collected as many contributions as the staff can read for now, "
            "so what you wrote has not been sent. Keep a copy, and try again in a few days "
            "or give it to the staff yourself."
        )
    made = [
        Contribution(
            organisation_id=invite.organisation_id,
            profile_id=invite.profile_id,
            invite_id=invite.id,
            contributor_name=name,
            contributor_relationship=relationship,
            section_key=key,
            text=text,
        )
        for key, text in texts.items()
    ]
    db.session.add_all(made)
    return made


def statements_in(text: str) -> list[str]:
    """The statements a contribution makes: one for each line with something on it, as the
    wizard makes one for each box (a line of its own in the print), its spaces tidied."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def accept(profile: Profile, contribution: Contribution, text: str, user_id: int | None) -> None:
    """Add the contribution, as edited by staff, at the end of its section: a statement for
    each of its lines, each credited to its contributor; a new version of the profile, like
    any save.

    Refused with a reason, never cut short and with nothing added: a line over the
    statement limit, or more lines than the section has room for. The section is counted in
    the same transaction that adds to it, and a save of the profile made meanwhile makes
    this one fail as stale, so no order of saves takes a section over its limit.
    """
    lines = statements_in(text)
    if not lines:
        raise Refused("The text is empty. Write what to add, or choose Decline.")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_STATEMENT:
            which = "This" if len(lines) == 1 else f"Line {number}"
            raise Refused(
                f"{which} has {len(line)} characters. Statements can be up to "
                f"{MAX_STATEMENT}: shorten it, or add the rest on the section's own page."
            )
    section = profile.section(contribution.section_key)
    if section is None:
        raise Refused("This profile no longer has that section. Choose Decline.")
    held = len(section.statements)
    if held + len(lines) > MAX_STATEMENTS:
        heading = heading_of(profile, get_kind(profile.kind), section.key)
        if held >= MAX_STATEMENTS:
            raise Refused(
                f"“{heading}” already has {MAX_STATEMENTS} statements, as many as a section "
                "can hold. Remove or combine some on the section's page, then accept this "
                "again."
            )
        raise Refused(
            f"“{heading}” has {held} statements and can hold {MAX_STATEMENTS}: room for "
            f"{MAX_STATEMENTS - held} more, but each line here becomes a statement, and there "
            f"are {len(lines)}. Join some lines here, or remove or combine statements on the "
            "section's page, then accept this again."
        )
    decide(contribution, "accepted", user_id)
    for line in lines:
        section.statements.append(
            Statement(
                text=line,
                position=len(section.statements),
                contributed_by=contribution.contributed_by,
            )
        )
    contribution.text = "\n".join(lines)
    draft_again(profile)
    touch(profile, "Accepted a contribution", note=f"From {contribution.contributed_by}")
    flush_or_stale()


def decide(contribution: Contribution, state: str, user_id: int | None) -> None:
    """Record staff's decision, by whom and when: only if the contribution is still waiting.

    Decided in one UPDATE that names the state it changes from, not by reading the state
    and then writing it: of two people deciding at the same moment, the database lets one
    change the row and tells the other that no row was changed, and that one is refused
    (AlreadyDecided), whichever way either decided.
    """
    changed = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id, Contribution.state == "pending")
        .values(state=state, decided_by=user_id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(contribution)  # read again, as the database now has it
    if changed != 1:
        raise AlreadyDecided(already_decided(contribution))


def already_decided(contribution: Contribution) -> str:
    """What to tell someone whose decision came too late: who decided first, how and when."""
    who = db.session.get(User, contribution.decided_by) if contribution.decided_by else None
    by = f" by {who.name}" if who is not None else ""
    at = f" at {when(contribution.decided_at)}" if contribution.decided_at else ""
    wrote = f"What {contribution.contributed_by} wrote"
    if contribution.state == "accepted":
        return f"{wrote} was already accepted{by}{at}: it is in the profile. Nothing was changed."
    if contribution.state == "declined":
        return (
            f"{wrote} was already declined{by}{at}, so it was not added. If it should be, "
            "put it back in the queue from the declined contributions, then accept it."
        )
    return f"{wrote} was already dealt with{by}{at}. Nothing was changed."


def _table(header: tuple[str, ...], rows: list[list[str]]) -> str:
    """A CSV file; what anyone typed is kept as text when a spreadsheet opens it (what a
    contributor sends is never run as a formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return out.getvalue()


def _iso(moment: datetime | None) -> str:
    return aware(moment).isoformat(timespec="seconds") if moment else ""


def contributions_csv(profile: Profile) -> str:
    """Every contribution to the profile, for the person's rights export: who sent what,
    for which section, and what became of it."""
    query = (
        select(Contribution)
        .where(Contribution.profile_id == profile.id)
        .order_by(Contribution.created_at, Contribution.id)
    )
    rows = [
        [
            c.contributor_name,
            c.contributor_relationship,
            c.section_key,
            c.text,
            c.state,
            _iso(c.created_at),
            _iso(c.decided_at),
        ]
        for c in db.session.scalars(query)
    ]
    header = ("name", "relationship", "section", "text", "state", "sent", "decided")
    return _table(header, rows)


def invitations_csv(profile: Profile) -> str:
    """Every invitation made for the profile, without its link (which is not kept)."""
    query = (
        select(ContributionInvite)
        .where(ContributionInvite.profile_id == profile.id)
        .order_by(ContributionInvite.created_at, ContributionInvite.id)
    )
    rows = [
        [
            invite.label,
            "yes" if invite.allow_suggestions else "no",
            _iso(invite.created_at),
            _iso(invite.expires_at),
            _iso(invite.revoked_at),
        ]
        for invite in db.session.scalars(query)
    ]
    header = ("for", "suggestions allowed", "made", "expires", "stopped")
    return _table(header, rows)
