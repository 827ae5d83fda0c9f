"""`flask --app profiles reviews-due`: the profiles to review soon, for a scheduled job."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..cli_helpers import use_organisation
from ..extensions import db
from ..services import every_organisation
from . import due_for_review


@click.command("reviews-due")
@click.option("--org", "slug", help="Only this organisation's profiles (its short name).")
@with_appcontext
def reviews_due_command(slug: str | None) -> None:
    """One line per profile whose review is overdue or due within 30 days: its id, name
    and due date (YYYY-MM-DD), separated by tabs, oldest first. Without --org, every
    organisation's."""
    if slug is not None:
        use_organisation(slug)
        profiles = db.session.scalars(due_for_review()).all()
    else:
        with every_organisation():
            profiles = db.session.scalars(due_for_review()).all()
    for profile in profiles:
        # One line each, whatever white space a name holds.
        name = " ".join(profile.name.split())
        click.echo(f"{profile.id}\t{name}\t{profile.review_due.isoformat()}")
