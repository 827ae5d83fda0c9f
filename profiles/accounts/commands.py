"""The create-admin command: an organisation and its administrator, from a shell."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..services import every_organisation, once_saved, unit_of_work
from .passwords import password_problem
from .services import (
    create_organisation,
    create_user,
    email_taken,
    find_organisation,
    slugify,
)


@click.command("create-admin")
@click.option(
    "--organisation",
    "organisation_name",
    required=True,
    help="The organisation's name; it is created if it does not exist yet.",
)
@click.option("--email", required=True, help="The administrator's email address.")
@click.option("--name", required=True, help="The administrator's name.")
@click.option(
    "--install-admin",
    is_flag=True,
    help="May also add further organisations in the web app. The first administrator of a "
    "fresh install always may.",
)
@click.password_option(help="Asked for when not given; it is never shown.")
@with_appcontext
@unit_of_work()
def create_admin_command(
    organisation_name: str, email: str, name: str, install_admin: bool, password: str
) -> None:
    """Create an administrator, and their organisation if it is new. No default passwords."""
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(problem)
    if email_taken(email):
        raise click.ClickException(f"{email} already has an account. Use another address.")
    slug = slugify(organisation_name)
    if not slug:
        raise click.ClickException("Use some letters or numbers in the organisation's name.")
    with every_organisation():
        fresh_install = not db.session.scalar(select(User.id).limit(1))
    organisation = find_organisation(slug) or create_organisation(organisation_name, slug)
    user = create_user(organisation, email, name, password, role="administrator")
    user.install_admin = install_admin or fresh_install

    lines = [f"{name} is an administrator of {organisation.name} (--org {slug})."]
    if user.install_admin:
        lines.append(
            f"{name} may also add organisations to this install, on the Organisations page."
        )
    once_saved(lambda: click.echo("\n".join(lines)))  # said only once the account is saved


@click.command("forget-expired-sessions")
@with_appcontext
def forget_expired_sessions_command() -> None:
    """Delete the sessions that have expired from the database (signing in does so too)."""
    count = current_app.session_interface.forget_expired()
    click.echo(f"{count} expired session{'' if count == 1 else 's'} deleted.")
