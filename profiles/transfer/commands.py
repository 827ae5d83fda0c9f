"""The import and export commands."""

import click


@click.command("import")
def import_command():
    """Import profile files."""
    raise click.ClickException("Not built yet.")


@click.command("export")
def export_command():
    """Export a profile."""
    raise click.ClickException("Not built yet.")
