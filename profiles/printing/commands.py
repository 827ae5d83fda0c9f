"""The render command: a profile's one-page PDF from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..audit.service import record
from ..cli_helpers import profile_or_exit, write_or_exit
from ..render import DESIGNS, PAPERS, RenderFailed, RenderTimedOut, paper_name
from ..services import once_saved, unit_of_work
from .service import print_profile

NOT_FITTING = 2  # the exit status when the profile is too long for one page


class RenderCommand(click.Command):
    """Usage mistakes exit 1, so that exit status 2 always means 'does not fit'."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise click.ClickException(
                f"{exc.format_message()} Usage: {ctx.command_path} ID -o FILE.pdf "
                "[--design NAME] [--paper A4|Letter]"
            ) from None


@click.command("render", cls=RenderCommand)
@click.argument("profile_id", type=int)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PDF.",
)  # fmt: skip
@click.option("--design", help="The print design; the profile's own if not given.")
@click.option("--paper", help="A4 or Letter; the profile's own if not given.")
@with_appcontext
@unit_of_work()
def render_command(profile_id: int, output: Path, design: str | None, paper: str | None) -> None:
    """Write profile PROFILE_ID's one-page PDF, or name the sections to shorten (exit 2)."""
    if design is not None and design not in DESIGNS:
        raise click.ClickException(
            f"There is no design called '{design}'. Designs: {', '.join(sorted(DESIGNS))}."
        )
    if paper is not None and paper_name(paper) is None:
        raise click.ClickException(
            f"There is no paper called '{paper}'. Papers: {', '.join(PAPERS)}."
        )
    profile = profile_or_exit(profile_id)
    try:
        outcome = print_profile(profile, paper=paper and paper_name(paper), design=design)
    except (RenderTimedOut, RenderFailed) as exc:
        raise click.ClickException(
            f"Profile {profile_id} was not printed: {exc}. Nothing was written. Try again; if "
            "it happens again, shorten its longest sections."
        ) from None
    if not outcome.fits:
        click.echo(
            f"Profile {profile_id} does not fit on one page, even with the smallest text. "
            "Nothing was written. Shorten these sections:",
            err=True,
        )
        for message in outcome.messages:
            click.echo(message, err=True)
        raise click.exceptions.Exit(NOT_FITTING)
    record("printed", profile.id)

    def write() -> None:  # once the print is in the audit trail: nothing leaves unrecorded
        write_or_exit(output, outcome.pdf)
        click.echo(f"Wrote {output}: one page, text at {outcome.font_size:g} point.")

    once_saved(write)
