"""The sign-in-link command: a new password for an administrator, from a shell."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..accounts.services import find_user
from .invitations import RESET_HOURS, invitation_link, is_pending


@click.command("sign-in-link")
@click.argument("email")
@click.option(
    "--site",
    required=True,
    help="The address people open the app at, such as https://profiles.example.org.",
)
@with_appcontext
def sign_in_link_command(email: str, site: str) -> None:
    """Print a link for EMAIL's person to choose a new password: once, within 24 hours.

    For administrators, whose links no other administrator may make on the Staff page.
    """
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}.")
    if is_pending(user) or not user.active:
        raise click.ClickException(
            f"{email} cannot sign in now (invited but not joined, or deactivated)."
        )
    with current_app.test_request_context(base_url=site):
        click.echo(invitation_link(user))
    click.echo(f"It works once, for {RESET_HOURS} hours. Give it only to {user.name}.", err=True)
