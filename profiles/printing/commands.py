"""The render command."""

import click


@click.command("render")
def render_command():
    """Write a profile's one-page PDF."""
    raise click.ClickException("Not built yet.")
