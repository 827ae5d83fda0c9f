"""The import and export commands (the contract is in the README)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..audit.service import record
from ..cli_helpers import profile_or_exit, use_organisation, write_or_exit
from ..services import once_saved, unit_of_work
from .importer import ImportProblems, check_files, export_json, save_profiles


@click.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--org", "org", metavar="SLUG",
    help="The organisation to import into; may be left out while there is only one.",
)  # fmt: skip
@with_appcontext
@unit_of_work()
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
        raise click.exceptions.Exit(1)
    ids = save_profiles(ready)
    # Standard output names only profiles that are saved.
    once_saved(lambda: click.echo("\n".join(map(str, ids))))


@click.command("export")
@click.argument("profile_id", type=int)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the file here instead of to standard output.",
)  # fmt: skip
@with_appcontext
@unit_of_work()
def export_command(profile_id: int, output: Path | None) -> None:
    """Write profile PROFILE_ID as a file in the one-page profile format (JSON)."""
    profile = profile_or_exit(profile_id)
    record("exported", profile.id)
    data = export_json(profile).encode("utf-8")
    # Written once the export is in the audit trail: nothing leaves unrecorded.
    if output is None:
        # Bytes, so the output is UTF-8 whatever the terminal's encoding.
        once_saved(lambda: click.echo(data, nl=False))
    else:
        once_saved(lambda: write_or_exit(output, data))
