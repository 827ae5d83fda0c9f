"""What the commands share: choosing the organisation, finding a profile, writing a file."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from .extensions import db
from .models import Organisation, Profile
from .services import act_for, every_organisation


def use_organisation(slug: str | None) -> Organisation:
    """Act for the organisation with this slug, or the only one when none is given."""
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.slug)))
    if not organisations:
        raise click.ClickException(
            "There is no organisation yet. Create one first: flask --app profiles create-admin"
        )
    if slug is None:
        if len(organisations) > 1:
            raise click.ClickException(
                "There is more than one organisation: say which with --org SLUG. Choose from "
                + ", ".join(o.slug for o in organisations)
                + "."
            )
        organisation = organisations[0]
    else:
        organisation = next((o for o in organisations if o.slug == slug), None)
        if organisation is None:
            raise click.ClickException(
                f"There is no organisation '{slug}'. Choose from "
                + ", ".join(o.slug for o in organisations)
                + "."
            )
    act_for(organisation.id)
    return organisation


def profile_or_exit(profile_id: int) -> Profile:
    """The profile with this id, in whichever organisation: the command line is the server's
    own operator. Later queries act for that profile's organisation."""
    with every_organisation():
        profile = db.session.get(Profile, profile_id)
    if profile is None:
        raise click.ClickException(
            f"There is no profile with the id {profile_id}. Check the id and try again."
        )
    act_for(profile.organisation_id)
    return profile


def write_or_exit(path: Path, data: bytes) -> None:
    """Write the file, or a message and exit status 1."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"Could not write {path}: {exc.strerror}.") from None
