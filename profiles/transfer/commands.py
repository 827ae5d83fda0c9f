"""The import and export commands (the contract is in the README)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..audit.service import record
from ..cli_helpers import profile_or_exit, use_organisation, write_or_exit
from .importer import ImportProblems, check_files, export_json, save_profiles


@click.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--org", "org", metavar="SLUG",
    help="The organisation to import into; may be left out while there is only one.",
)  # fmt: skip
@with_appcontext
def import_command(files: tuple[str, ...], org: str | None) -> None:
    """Import profile FILES, all or none; print each new profile's id on its own line."""
    use_organisation(org)
    contents, refused = [], []
    for name in files:
        try:
            contents.append((name, Path(name).read_bytes()))
        except OSError as exc:
            refused.append((name, [f"cannot be read ({exc.strerror})"]))
    ready, invalid = check_files(contents)
    refused += invalid
    if refused:
        # In the order the files were given, so each can be found and fixed in turn.
        refused.sort(key=lambda item: files.index(item[0]))
        for problem in ImportProblems(refused).problems:
            click.echo(problem, err=True)
        click.echo("Nothing was imported. Fix these problems and import again.", err=True)
        click.get_current_context().exit(1)
    for profile_id in save_profiles(ready):
        click.echo(profile_id)


@click.command("export")
@click.argument("profile_id", type=int)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the file here instead of to standard output.",
)  # fmt: skip
@with_appcontext
def export_command(profile_id: int, output: Path | None) -> None:
    """Write profile PROFILE_ID as a file in the one-page profile format (JSON)."""
    profile = profile_or_exit(profile_id)
    record("exported", profile.id, commit=True)
    data = export_json(profile).encode("utf-8")
    if output is None:
        # Bytes, so the output is UTF-8 whatever the terminal's encoding.
        click.echo(data, nl=False)
        return
    write_or_exit(output, data)
